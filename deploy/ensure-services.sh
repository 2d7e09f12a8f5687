#!/usr/bin/env bash
# Makes sure RabbitMQ (5672) and PostgreSQL (5432) answer on this machine before the
# integration tests run: starts them where they are installed but stopped. Under
# CI=true a service that still cannot be reached fails the run.
set -u

reachable() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

wait_for() {
  local port=$1
  for _ in $(seq 1 60); do reachable "$port" && return 0; sleep 1; done
  return 1
}

status=0
if ! reachable 5672; then
  if command -v rabbitmq-server >/dev/null; then
    echo "RabbitMQ is not answering on 5672: starting it"
    rabbitmq-server -detached || true
  fi
  wait_for 5672 || { echo "RabbitMQ cannot be reached on 127.0.0.1:5672"; status=1; }
fi
if ! reachable 5432; then
  if command -v pg_ctlcluster >/dev/null; then
    echo "PostgreSQL is not answering on 5432: starting it"
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main start || true
  fi
  wait_for 5432 || { echo "PostgreSQL cannot be reached on 127.0.0.1:5432"; status=1; }
fi
if [ "$status" -ne 0 ] && [ "${CI:-}" = "true" ]; then
  echo "CI=true: the integration tests need both services; failing the run"
  exit 1
fi
exit 0
