# How fast `qorgau demo --scale N` fills a region (issue 7: >= 100,000 appeals a second).
# Sourced by bench/run; uses its helpers. Scale 910 makes about a million appeals;
# the database it makes is kept for the summary case when that has none yet.
DSCALE=${BENCH_DEMO_SCALE:-910}
ddb="$work/demo-rate.db"
"$BUILD/qorgau" demo --scale "$DSCALE" --database "sqlite:$ddb" >"$work/demo.out" 2>"$work/demo.err" || {
	cat "$work/demo.err" >&2
	exit 1
}
d_total=$(sed -n 's/.*: \([0-9]*\) appeals (.* in \([0-9.]*\) s$/\1 \2/p' "$work/demo.out")
read -r d_n d_secs <<<"$d_total"
d_appeal_secs=$(sed -n 's/^qorgau: children [0-9.]* s, appeals \([0-9.]*\) s .*/\1/p' "$work/demo.out")
d_rows=$(tr '\r' '\n' <"$work/demo.err" | sed -n 's/^qorgau demo: appeals [0-9]*\/[0-9]* (100%), \([0-9]*\)\/s$/\1/p' | tail -1)
d_children=$(sed -n 's/.* \([0-9]*\) children (\([0-9]*\) attached, \([0-9]*\) contacts).*/\1 children, \3 contacts/p' "$work/demo.out")
rate() { awk -v n="$1" -v s="$2" 'BEGIN{printf "%.0f", n/s}'; }
line "qorgau demo --scale $DSCALE: whole command" "$(rate "$d_n" "$d_secs")" "-" "-" \
	"appeals/s; $d_n appeals in $d_secs s, with $d_children; target >= 100,000"
line "  appeals with their terms, figures, indexes" "$(rate "$d_n" "$d_appeal_secs")" "-" "-" \
	"appeals/s ($d_appeal_secs s: rows, search terms, consultations, referrals, figures, indexes)"
line "  appeal rows alone (the progress bar)" "${d_rows:-?}" "-" "-" "appeals/s"
grep -E '^qorgau demo: .* took ' "$work/demo.err" | sed 's/^qorgau demo: /    /' >&2
SDEMO="$BUILD/bench/demo-$DSCALE.db"
if [ ! -e "$SDEMO" ]; then
	mv "$ddb.key" "$SDEMO.key"
	mv "$ddb" "$SDEMO"
fi
rm -f "$ddb" "$ddb.key" "$ddb-wal" "$ddb-shm"
