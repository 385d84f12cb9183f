#!/usr/bin/env bash
# Installs what is missing, builds, and starts the WebVirt panel with its embedded local agent.
set -euo pipefail
cd "$(dirname "$0")"
source scripts/common.sh

ensure_host_packages
ensure_qemu_user

say "Building"
dotnet build WebVirt.sln -c Release -v quiet -nologo

say "Starting the WebVirt panel and its local agent (data under ./data, settings in ./appsettings.json)"
# The working folder is the content root, so ./appsettings.json and ./data are used; the build copied the
# browser libraries into src/Web/wwwroot.
exec dotnet src/Web.Host/bin/Release/net10.0/WebVirt.Web.Host.dll --webroot src/Web/wwwroot "$@"
