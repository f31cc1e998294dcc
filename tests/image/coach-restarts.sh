# coach-restarts.sh - runs ON a booted image, as root, through
# REPCUE_IMAGE_SSH_SCRIPT (tests/image/boot.sh): a hunt for the coach's
# unexplained abort (hw/image/README.md, "Open finding"). Arms a core dump
# through a pipe in core_pattern, then starts repcue.service three times
# with its sheets removed (so each start draws them again), 100 s each,
# and stops at the first restart or core; prints the core gzip'd and in
# base64 between CORE-BEGIN and CORE-END for gdb-multiarch on the host:
#   REPCUE_IMAGE_SSH_SCRIPT=tests/image/coach-restarts.sh sh tests/image/boot.sh
echo '|/usr/bin/dd of=/root/core.dump bs=1M' > /proc/sys/kernel/core_pattern
mkdir -p /run/systemd/system/repcue.service.d
printf '[Service]\nLimitCORE=infinity\n' > /run/systemd/system/repcue.service.d/core.conf
systemctl daemon-reload
echo "first instance: NRestarts=$(systemctl show -P NRestarts repcue.service) result=$(systemctl show -P Result repcue.service)"
ls /var/lib/private/repcue/card-out/sheets 2>&1 | tr '\n' ' '; echo
for round in 1 2 3; do
	systemctl stop repcue.service
	rm -rf /var/lib/private/repcue/card-out/sheets /root/core.dump
	systemctl start repcue.service
	i=0
	while [ $i -lt 100 ] && ! [ -s /root/core.dump ] && [ "$(systemctl show -P NRestarts repcue.service)" = 0 ]; do sleep 1; i=$((i+1)); done
	# a restart's core goes through the pipe to dd: waited for until dd has
	# started (10 s at most) and then ended, not given 3 s
	j=0
	if [ "$(systemctl show -P NRestarts repcue.service)" != 0 ]; then
		while [ $j -lt 10 ] && ! pgrep -x dd >/dev/null && ! [ -s /root/core.dump ]; do sleep 1; j=$((j+1)); done
	fi
	while pgrep -x dd >/dev/null; do sleep 1; done
	echo "round $round after $i s: NRestarts=$(systemctl show -P NRestarts repcue.service) sheets: $(ls /var/lib/private/repcue/card-out/sheets 2>&1 | tr '\n' ' ')"
	[ -s /root/core.dump ] && break
done
journalctl -b --no-pager -o short-monotonic -u repcue.service | grep -v 'find line' | tail -n 12 | cut -c1-220
if [ -s /root/core.dump ]; then echo "CORE-BEGIN"; gzip -1 -c /root/core.dump | base64 -w 0; echo; echo "CORE-END"; fi
