#!/bin/sh
# mde-onboarding: read-only check for security agents that make MDE on Linux refuse to install.
# Runs through Azure Run Command (as root) and prints exactly one line of JSON whose first field is
# "check":"mde-prereq". It reads /proc and asks systemctl whether services are active. It changes nothing.
#
# It mirrors the conflict check of Microsoft's installer (microsoft/mdatp-xplat linux/installation/mde_installer.sh,
# which Defender for Cloud uses), which aborts with ERR_CONFLICTING_APPS (5) on:
#   - processes holding fanotify mount marks ("fanotify mnt_id" in /proc/<pid>/fdinfo/<fd>), except MDE itself
#     (wdavdaemon) and fapolicyd (supported on RHEL/Fedora, mde-linux-prerequisites.md);
#   - the services ds_agent (Trend Micro), cbsensor (Carbon Black) and MFEcma (McAfee); mfetpd (McAfee Endpoint
#     Security) is checked too.

agents=""
comms=$(cat /proc/[0-9]*/comm 2>/dev/null)
for name in ds_agent cbsensor MFEcma mfetpd; do
    found=""
    if printf '%s\n' "$comms" | grep -qx "$name"; then
        found=1
    elif command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet "$name" 2>/dev/null; then
        found=1
    fi
    if [ -n "$found" ]; then
        agents="$agents $name"
    fi
done

fanotify=""
count=0
finder="find"
if command -v timeout >/dev/null 2>&1; then
    finder="timeout 60 find"
fi
for f in $($finder /proc/[0-9]*/fdinfo -type f 2>/dev/null | xargs grep -Fl 'fanotify mnt_id' 2>/dev/null); do
    pid=$(printf '%s' "$f" | cut -d/ -f3)
    exe=$(readlink "/proc/$pid/exe" 2>/dev/null)
    exe=${exe% (deleted)}
    if [ -z "$exe" ]; then
        exe=$(cat "/proc/$pid/comm" 2>/dev/null)
    fi
    case "$exe" in
        ""|*wdavdaemon*|*fapolicyd*) continue ;;
    esac
    exe=$(printf '%s' "$exe" | tr -cd 'A-Za-z0-9._/+@:-')
    case " $fanotify " in
        *" $exe "*) ;;
        *)
            if [ "$count" -lt 10 ]; then
                fanotify="$fanotify $exe"
                count=$((count + 1))
            fi
            ;;
    esac
done

json_list() {
    out=""
    for item in $1; do
        out="$out${out:+,}\"$item\""
    done
    printf '[%s]' "$out"
}

printf '{"check":"mde-prereq","version":1,"kind":"linux-conflicts","agents":%s,"fanotify":%s}\n' \
    "$(json_list "$agents")" "$(json_list "$fanotify")"
