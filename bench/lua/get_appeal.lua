-- GET one random appeal of the seeded million (ids 1..N), with the bench token.
local n = tonumber(os.getenv("BENCH_APPEALS") or "1000000")
math.randomseed(42)
request = function()
  return wrk.format("GET", "/api/v1/appeals/" .. math.random(1, n))
end
