#!/usr/bin/env bash
# Installs what is missing, builds, and starts the WebVirt panel with its embedded local agent.
set -euo pipefail
cd "$(dirname "$0")"
source scripts/common.sh

ensure_host_packages
ensure_qemu_user

say "Building"
dotnet build WebVirt.sln -c Release -v quiet -nologo

say "Starting the WebVirt panel (data under ./data, settings in ./appsettings.json)"
exec dotnet src/Web/bin/Release/net10.0/WebVirt.Web.dll "$@"
