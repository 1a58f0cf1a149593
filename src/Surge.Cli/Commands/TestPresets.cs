namespace Surge.Cli.Commands;

/// <summary>
/// The tests `surge new` writes: one per kind of performance test, in the shapes engineers use, each with thresholds
/// that fit what it is meant to find. BASE_URL and REQUEST_PATH are filled in from the URL given.
/// </summary>
public static class TestPresets
{
    public const string QuickStart = "quick-start";

    /// <summary>The test types, in the order a team usually runs them.</summary>
    public static IReadOnlyDictionary<string, string> Types { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["smoke"] = Smoke,
        ["load"] = Load,
        ["stress"] = Stress,
        ["spike"] = Spike,
        ["soak"] = Soak,
        ["breakpoint"] = Breakpoint,
    };

    public static string Start => Quick;

    private const string Quick = """
        # A first Surge test: 10 users request one URL for 30 seconds.
        #   surge run test.yaml                  run it
        #   surge run test.yaml --vus 2 -d 5s    a shorter run, same requests
        # For a test of a given kind (smoke, load, stress, spike, soak, breakpoint): surge new TYPE URL
        options:
          baseUrl: BASE_URL                 # relative URLs below resolve against this (or --base-url)

        # The run fails (exit 99) when one of these fails. k6 syntax: p(95) is the 95th percentile, in ms.
        thresholds:
          http_req_duration: ["p(95)<500"]
          http_req_failed: ["rate<0.01"]    # fewer than 1% of requests fail (status >= 400 or no response)
          checks: ["rate==1"]

        scenarios:
          first:
            executor: constant-vus          # each VU runs the requests in a loop
            vus: 10
            duration: 30s
            requests:
              - name: first request
                get: 'REQUEST_PATH'
                checks:
                  - status: 200
              - think: 1s                   # a user's pause between iterations: fixed (1s) or a range (1s-3s)
        """;

    private const string Smoke = """
        # Smoke test: a minimal load that proves the system and the test work at all, before any bigger test.
        # One or two users for a minute; every request must succeed, and the responses must be fast.
        #   surge run smoke.yaml
        options:
          baseUrl: BASE_URL

        thresholds:
          http_req_failed: ["rate==0"]      # a smoke test tolerates no failed request
          checks: ["rate==1"]
          http_req_duration: ["p(95)<500", "p(99)<1000"]

        scenarios:
          smoke:
            executor: constant-vus
            vus: 2
            duration: 1m
            requests:
              - name: smoke
                get: 'REQUEST_PATH'
                checks:
                  - status: 200
              - think: 1s
        """;

    private const string Load = """
        # Load test: the traffic you expect on a normal busy day, ramped up, held, and ramped down.
        # Set `target` to your expected number of concurrent users; the thresholds are your service level objectives.
        #   surge run load.yaml                          about 40 minutes
        #   surge run load.yaml --vus 5 --duration 30s   a quick check of the test itself
        options:
          baseUrl: BASE_URL

        thresholds:
          http_req_duration: ["p(95)<500", "p(99)<1000"]
          http_req_failed:
            - threshold: rate<0.01
              abortOnFail: true             # a broken system fails fast instead of after 40 minutes...
              delayAbortEval: 1m            # ...but the ramp-up's first minute is not judged alone
          checks: ["rate>0.99"]

        scenarios:
          load:
            executor: ramping-vus
            startVUs: 0
            stages:
              - { duration: 5m, target: 50 }    # ramp up to the expected load
              - { duration: 30m, target: 50 }   # hold it: the numbers that count come from here
              - { duration: 5m, target: 0 }     # ramp down
            gracefulRampDown: 30s
            requests:
              - name: load
                get: 'REQUEST_PATH'
                checks:
                  - status: 200
              - think: 1s-3s
        """;

    private const string Stress = """
        # Stress test: beyond the expected load, to see how the system degrades and whether it comes back.
        # The expected load is 50 users; the test ramps to 2x and then 3x it, holding each step. The thresholds are
        # looser than a load test's: some slowness and errors are expected, a collapse is not.
        #   surge run stress.yaml                        about 40 minutes
        #   surge run stress.yaml --vus 5 --duration 30s a quick check of the test itself
        options:
          baseUrl: BASE_URL

        thresholds:
          http_req_duration: ["p(95)<1500", "p(99)<3000"]
          http_req_failed:
            - threshold: rate<0.05          # up to 5% errors under stress
              abortOnFail: true
              delayAbortEval: 2m
          checks: ["rate>0.95"]
          "http_req_duration{scenario:stress}": ["p(95)<1500"]

        scenarios:
          stress:
            executor: ramping-vus
            startVUs: 0
            stages:
              - { duration: 5m, target: 50 }    # the expected load (1x)
              - { duration: 5m, target: 50 }
              - { duration: 5m, target: 100 }   # 2x
              - { duration: 5m, target: 100 }
              - { duration: 5m, target: 150 }   # 3x
              - { duration: 10m, target: 150 }
              - { duration: 5m, target: 0 }     # recovery: does it come back down cleanly?
            gracefulRampDown: 30s
            requests:
              - name: stress
                get: 'REQUEST_PATH'
                checks:
                  - status: 200
              - think: 1s
        """;

    private const string Spike = """
        # Spike test: sudden surges far above normal traffic (a sale, a push notification), and the calm after them.
        # 10 users -> 200 -> back to 10 -> 250 -> 0. A second scenario, `recovery`, measures the calm between the
        # spikes on its own, so its thresholds tell whether the system recovered after the first spike.
        #   surge run spike.yaml                         about 6 minutes
        #   surge run spike.yaml --vus 5 --duration 30s  a quick check of the test itself
        options:
          baseUrl: BASE_URL

        thresholds:
          http_req_failed: ["rate<0.10"]                        # errors during a spike are tolerated, to a point
          http_req_duration: ["p(95)<2000"]
          "http_req_duration{scenario:recovery}": ["p(95)<500"] # after the spike, latency is back to normal...
          "http_req_failed{scenario:recovery}": ["rate<0.01"]   # ...and so is the error rate
          checks: ["rate>0.90"]

        scenarios:
          spike:
            executor: ramping-vus
            startVUs: 10
            stages:
              - { duration: 1m, target: 10 }    # normal traffic
              - { duration: 10s, target: 200 }  # first spike
              - { duration: 1m, target: 200 }
              - { duration: 10s, target: 10 }   # back to normal (from 2m20s)
              - { duration: 2m, target: 10 }
              - { duration: 10s, target: 250 }  # second, bigger spike
              - { duration: 1m, target: 250 }
              - { duration: 10s, target: 0 }
            gracefulRampDown: 10s
            requests:
              - name: spike
                get: 'REQUEST_PATH'
                checks:
                  - status: 200
              - think: 1s

          recovery:                             # a few steady users inside the calm between the spikes
            executor: constant-vus
            vus: 2
            startTime: 2m50s                    # 30 seconds after the load fell back to 10 users
            duration: 1m30s                     # ends as the second spike begins (4m20s)
            requests:
              - name: recovery
                get: 'REQUEST_PATH'
                checks:
                  - status: 200
              - think: 1s
        """;

    private const string Soak = """
        # Soak (endurance) test: the expected load held for a long time, to find what only time reveals: memory
        # leaks, connection or file handle exhaustion, growing queues, logs filling a disk. Compare the first and
        # the last minutes of the HTML report (--report soak.html): latency should not creep up.
        #   surge run soak.yaml --report soak.html       about 1 hour 10 minutes
        #   surge run soak.yaml --vus 5 --duration 30s   a quick check of the test itself
        options:
          baseUrl: BASE_URL

        thresholds:
          http_req_duration: ["p(95)<500", "p(99)<1000"]
          http_req_failed:
            - threshold: rate<0.01
              abortOnFail: true             # no point soaking a system that already fails
              delayAbortEval: 5m
          checks: ["rate>0.99"]

        scenarios:
          soak:
            executor: ramping-vus
            startVUs: 0
            stages:
              - { duration: 5m, target: 40 }    # ramp up to about the expected load
              - { duration: 1h, target: 40 }    # and hold it: 30 minutes at the very least, hours is better
              - { duration: 5m, target: 0 }
            gracefulRampDown: 30s
            requests:
              - name: soak
                get: 'REQUEST_PATH'
                checks:
                  - status: 200
              - think: 1s-3s
        """;

    private const string Breakpoint = """
        # Breakpoint test: raise the arrival rate steadily until the system breaks, and stop there. The rate at
        # which the thresholds failed is the system's capacity; the summary shows how far the run got.
        # Arrivals are an open model: new iterations start on schedule whether or not earlier ones finished, as
        # real traffic does. Run it against a test environment, never production.
        #   surge run breakpoint.yaml                    up to 30 minutes, usually much less
        #   surge run breakpoint.yaml --vus 5 --duration 30s   a quick check of the test itself
        options:
          baseUrl: BASE_URL

        thresholds:
          http_req_failed:
            - threshold: rate<0.05
              abortOnFail: true             # the run stops as soon as 5% of requests fail...
              delayAbortEval: 30s
          http_req_duration:
            - threshold: p(95)<2000
              abortOnFail: true             # ...or the 95th percentile passes 2 seconds
              delayAbortEval: 30s

        scenarios:
          breakpoint:
            executor: ramping-arrival-rate
            startRate: 10
            timeUnit: 1s
            preAllocatedVUs: 50
            maxVUs: 2000                    # enough VUs that the generator is not the limit
            stages:
              - { duration: 30m, target: 2000 }  # +1 request/s every second or so, until something gives
            requests:
              - name: breakpoint
                get: 'REQUEST_PATH'
                checks:
                  - status: 200
        """;
}
