# Appeals over 1M rows (issue 4): the audited read and the durable create.
# Sourced by bench/run; uses its helpers and $QPORT's server only for the floor.
APPEALS=${BENCH_APPEALS:-1000000}
BIG="$BUILD/bench/appeals-$APPEALS.db"
if [ ! -e "$BIG" ]; then
	echo "(seeding $APPEALS appeals into $BIG once; later runs reuse it)" >&2
	rm -f "$BIG" "$BIG.key"
	"$BUILD/qorgau" init --database "sqlite:$BIG" >/dev/null 2>&1
	t0=$(date +%s%N)
	"$BUILD/bench/seed" "sqlite:$BIG" "$APPEALS"
	echo "(seeded in $(( ($(date +%s%N) - t0) / 1000000 )) ms)" >&2
	echo "Bench-Coordinator-1" | "$BUILD/qorgau" user add --login benchcoord --role coordinator \
		--database "sqlite:$BIG" >/dev/null
fi
# The seeded database outlives schema changes: bring it up to date first.
"$BUILD/qorgau" migrate --database "sqlite:$BIG" >/dev/null 2>&1
BTOKEN=$("$BUILD/qorgau" token create --user benchcoord --database "sqlite:$BIG")
kill "$QPID" 2>/dev/null; wait "$QPID" 2>/dev/null || true
start_qorgau "sqlite:$BIG"
read -r b_rps b_p50 b_p99 < <(wrk_run "http://127.0.0.1:$QPORT/healthz")
line "qorgau GET /healthz (1M-appeal database)" "$b_rps" "$b_p50" "$b_p99" "floor for the lines below"
export BENCH_APPEALS=$APPEALS
read -r g_rps g_p50 g_p99 < <(wrk_run "http://127.0.0.1:$QPORT" -s bench/lua/get_appeal.lua -H "Authorization: Bearer $BTOKEN")
pct=$(awk -v a="$g_rps" -v b="$b_rps" 'BEGIN{printf "%.0f%% of /healthz (target >= 40%%, p99 < 10 ms)", 100*a/b}')
line "GET /api/v1/appeals/{id} (token, audited)" "$g_rps" "$g_p50" "$g_p99" "$pct"
read -r c_rps c_p50 c_p99 < <(wrk_run "http://127.0.0.1:$QPORT/api/v1/appeals" -s bench/lua/post_appeal.lua \
	-H "Authorization: Bearer $BTOKEN")
line "POST /api/v1/appeals (durable)" "$c_rps" "$c_p50" "$c_p99" "target >= 15000/s, p99 < 10 ms"
