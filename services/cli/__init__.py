"""The ``helhed`` command line."""


def main() -> None:
    # eventlet patches the standard library before anything else imports it
    from shared.green import green

    green()
    from services.cli.commands import app

    app()
