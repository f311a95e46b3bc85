#!/bin/sh
# busybox udhcpc event script for the tests: records what the client received and
# configures nothing, so the test stays in charge of the namespace.
case "$1" in
    bound|renew)
        { echo "event=$1"; echo "ip=$ip"; echo "opt43=${opt43:-}"; echo "sipsrv=${sipsrv:-}";
          echo "opt120=${opt120:-}"; echo "ntpsrv=${ntpsrv:-}"; echo "timezone=${timezone:-}";
          echo "serverid=${serverid:-}"; } > "$LYNCBOOT_UDHCPC_OUT"
        ;;
esac
exit 0
