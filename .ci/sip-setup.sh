#!/usr/bin/env bash
# SIP test prerequisites beyond the Debian packages (sip-tester, kamailio, baresip, espeak-ng, sox). The SIP tests
# start their own peers (SIPp, kamailio, baresip) on 127.77.x.y loopback addresses, bounded in time and killed afterwards, so
# nothing is left running here: this script only checks that what they need is present and usable.
set -euo pipefail

fail=0
for tool in sipp kamailio baresip espeak-ng sox soxi; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "sip-setup: $tool is missing (Debian: sip-tester, kamailio, baresip, espeak-ng, sox)" >&2
    fail=1
  fi
done

# kamailio's modules live under the multiarch directory; the tests read KAMAILIO_MODULES if it is elsewhere.
modules=$(ls -d /usr/lib/*/kamailio/modules 2>/dev/null | head -n 1 || true)
if [ -z "$modules" ] || [ ! -f "$modules/tm.so" ] || [ ! -f "$modules/auth.so" ]; then
  echo "sip-setup: kamailio modules (tm, auth) not found under /usr/lib/*/kamailio/modules" >&2
  fail=1
fi

# baresip runs as an agent desk phone with file audio and no sound card: it needs these modules.
for module in g711 aufile aubridge account menu; do
  if [ ! -f "/usr/lib/baresip/modules/$module.so" ]; then
    echo "sip-setup: baresip module $module.so not found under /usr/lib/baresip/modules" >&2
    fail=1
  fi
done

# Every SIP peer binds its own 127.x.y.z address: Linux routes all of 127/8 to lo, check one.
if command -v python3 >/dev/null 2>&1; then
  python3 -c "import socket; s=socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(('127.77.250.1', 0)); s.close()" \
    || { echo "sip-setup: cannot bind 127.77.250.1 (loopback must cover 127/8)" >&2; fail=1; }
fi

[ "$fail" -eq 0 ] && echo "sip-setup: $(sipp -v 2>&1 | grep -o 'SIPp v[^ ]*' | head -n 1), $(kamailio -v 2>&1 | head -n 1), modules in $modules"
exit "$fail"
