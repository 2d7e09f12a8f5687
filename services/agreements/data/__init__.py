"""The project's own data files: agreements in its own format, reference data."""

from pathlib import Path

DATA_DIR = Path(__file__).parent
NORDVEST_FILE = DATA_DIR / "nordvest-2025-29.json"
ACTIVITY_TYPES_FILE = DATA_DIR / "activity-types.json"
