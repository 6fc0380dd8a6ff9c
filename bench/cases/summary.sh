# The headline figures (issue 7) over the demo region at scale 910: about
# 1M appeals, 280,000 children (200,000 attached) and 100,000 lessons.
# Sourced by bench/run; uses its helpers. Seeded once, then reused.
SCALE=${BENCH_DEMO_SCALE:-910}
DEMO="$BUILD/bench/demo-$SCALE.db"
if [ ! -e "$DEMO" ]; then
	echo "(filling the demo region at scale $SCALE into $DEMO once; later runs reuse it)" >&2
	rm -f "$DEMO.part" "$DEMO.part.key" "$DEMO.part-wal" "$DEMO.part-shm"
	"$BUILD/qorgau" demo --scale "$SCALE" --database "sqlite:$DEMO.part" 2>/dev/null | head -2 >&2 || exit 1
	mv "$DEMO.part.key" "$DEMO.key"
	mv "$DEMO.part" "$DEMO"
fi
"$BUILD/qorgau" migrate --database "sqlite:$DEMO" >/dev/null 2>&1
STOKEN=$("$BUILD/qorgau" token create --user coordinator --database "sqlite:$DEMO")
kill "$QPID" 2>/dev/null; wait "$QPID" 2>/dev/null || true
start_qorgau "sqlite:$DEMO"
# The target is the time one summary takes (a manager opening the dashboard): one connection.
# Under 64 connections the same work queues on two cores, shown for throughput.
for d in "" "&district_id=1"; do
	read -r s_rps s_p50 s_p99 < <(CONNS=1 WRK_THREADS=1 wrk_run \
		"http://127.0.0.1:$QPORT/api/v1/reports/summary?from=2024-01-01$d" -H "Authorization: Bearer $STOKEN")
	if [ -z "$d" ]; then
		line "GET /api/v1/reports/summary (since 2024), 1 conn" "$s_rps" "$s_p50" "$s_p99" \
			"target p50 < 20 ms; 1M appeals, 200k attached children, 100k lessons"
	else
		line "  the same, one district, 1 conn" "$s_rps" "$s_p50" "$s_p99" "target p50 < 20 ms"
	fi
done
read -r s_rps s_p50 s_p99 < <(wrk_run "http://127.0.0.1:$QPORT/api/v1/reports/summary?from=2024-01-01" \
	-H "Authorization: Bearer $STOKEN")
line "  the same, $CONNS connections" "$s_rps" "$s_p50" "$s_p99" "throughput; p50 is queueing"
