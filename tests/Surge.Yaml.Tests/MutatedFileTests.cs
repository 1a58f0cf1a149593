using System.Text;
using Surge.Plans;

namespace Surge.Yaml.Tests;

/// <summary>
/// A property of the reader: any text, however mangled, is a plan or a plan error (exit 104) at a place in the file,
/// never another exception. The examples and a few shapes of this suite, mutated the way editors and generators
/// break files, with a fixed seed so that a failure repeats.
/// </summary>
public sealed class MutatedFileTests
{
    private const int Seed = 20261201;
    private const int MutantsPerFile = 300;

    private static readonly string[] Insertions =
    [
        "[", "]", "{", "}", ":", ": ", ",", "- ", "? ", "&a ", "*a", "&b [*a, *a, *a]", "!!str ", "!!binary ", "!<tag:x> ", "|", ">-", "#", "%YAML 1.2\n",
        "---\n", "...\n", "'", "\"", "\t", "\\u0000", "\0", "\r", "99999999999999999999999", "1e309", "-1", "NaN", ".inf", "0x1F", "2", "{{ env('X') }}",
        "{{", "}}", "<<: *a", "\uFEFF", "\uD800", "é",
    ];

    private static readonly string[] Shapes =
    [
        """
        options: { baseUrl: "http://127.0.0.1:5000", tags: { team: a } }
        metrics: { sales: counter, ok: rate }
        thresholds:
          http_req_duration: ["p(95)<500", { threshold: "p(99)<900", abortOnFail: true, delayAbortEval: 10s }]
          ok: ["rate>0.9"]
        profiles: { quick: { vus: 2, duration: 5s } }
        setup: [ { post: /login, json: { user: a }, capture: [ { var: token, jsonPath: $.token } ] } ]
        scenarios:
          ramp:
            executor: ramping-arrival-rate
            startRate: 1
            timeUnit: 1s
            preAllocatedVUs: 2
            maxVUs: 5
            stages: [ { duration: 5s, target: 10 } ]
            gracefulStop: 5s
            users:
              - name: web
                weight: 3
                onStart: [ { get: /me, headers: { Authorization: "Bearer {{ token }}" } } ]
                flows:
                  - name: browse
                    steps:
                      - group: g
                        steps: [ { get: "/items/{{ randomInt(1, 9) }}", checks: [ { status: [200, 404] }, { jsonPath: $.id } ] } ]
                      - loop: 2
                        steps: [ { think: 1s-2s } ]
                      - { post: /orders, json: &order { qty: 1, tags: [a, b] }, record: [ { metric: sales, value: 1 } ] }
                      - { put: /orders/1, json: *order, expectedStatuses: [200, "300-399"], timeout: 5s }
          fixed:
            executor: externally-controlled
            vus: 1
            maxVUs: 3
            duration: 10s
            requests: [ { get: /health, tags: { kind: probe } }, { log: "done {{ uuid }}" } ]
        verify: [ { ledger: orders, get: /orders, idField: id } ]
        """,
        """
        vus: 2
        stages: [ { duration: 10s, target: 5 }, { duration: 5s, target: 0 } ]
        requests:
          - get: http://127.0.0.1:5000/items
          - think: 250ms
        """,
    ];

    public static TheoryData<string> Files()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "examples"), "*.yaml").Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(file));
        }
        for (var i = 0; i < Shapes.Length; i++)
        {
            data.Add($"shape {i}");
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Every_mutant_of_a_file_is_a_plan_or_a_plan_error_at_a_place_in_that_file(string name)
    {
        var (path, text) = name.StartsWith("shape ", StringComparison.Ordinal)
            ? ("shape.yaml", Shapes[int.Parse(name["shape ".Length..], System.Globalization.CultureInfo.InvariantCulture)])
            : (Path.Combine(AppContext.BaseDirectory, "examples", name), File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "examples", name)));
        Assert.NotNull(YamlPlanLoader.Parse(text, path));
        var random = new Random(Seed ^ name.GetHashCode(StringComparison.Ordinal) & 0x7fffffff);
        var outcomes = new int[2];
        for (var i = 0; i < MutantsPerFile; i++)
        {
            var mutant = text;
            for (var edits = random.Next(1, 4); edits > 0; edits--)
            {
                mutant = Mutate(mutant, random);
            }
            try
            {
                YamlPlanLoader.Parse(mutant, path);
                outcomes[0]++;
            }
            catch (PlanException error)
            {
                Assert.True(error.Location?.File == path, $"an error without a place in the file: {error.Message}\n--- mutant {i} ---\n{mutant}");
                Assert.InRange(error.Location!.Line, 1, mutant.Count(c => c == '\n') + 2);
                Assert.True(error.Location.Column >= 1, error.Message);
                outcomes[1]++;
            }
            catch (Exception error)
            {
                Assert.Fail($"{error.GetType().Name}: {error.Message}\n--- mutant {i} ---\n{mutant}\n--- {error}");
            }
        }
        // The mutations reach past the syntax check: some mutants still load, others fail in the reader.
        Assert.Equal(MutantsPerFile, outcomes[0] + outcomes[1]);
        Assert.True(outcomes[0] > 0 && outcomes[1] > 0, $"{outcomes[0]} plans, {outcomes[1]} errors");
    }

    private static string Mutate(string text, Random random)
    {
        if (text.Length == 0)
        {
            return Insertions[random.Next(Insertions.Length)];
        }
        var at = random.Next(text.Length);
        var lines = text.Split('\n');
        var line = random.Next(lines.Length);
        var other = random.Next(lines.Length);
        switch (random.Next(9))
        {
            case 0:
                return text.Remove(at, 1);
            case 1:
                return text.Insert(at, text[at].ToString());
            case 2 when at + 1 < text.Length:
                return new StringBuilder(text) { [at] = text[at + 1], [at + 1] = text[at] }.ToString();
            case 3:
                return string.Join('\n', lines.Where((_, i) => i != line));
            case 4:
                return string.Join('\n', lines.Take(line + 1).Append(lines[line]).Concat(lines.Skip(line + 1)));
            case 5:
                (lines[line], lines[other]) = (lines[other], lines[line]);
                return string.Join('\n', lines);
            case 6:
                // Replace a value after ': ' with a huge or odd number, where durations, counts and rates live.
                var colon = text.IndexOf(": ", at, StringComparison.Ordinal);
                if (colon < 0)
                {
                    goto default;
                }
                var end = text.IndexOfAny([',', '}', '\n', ']'], colon + 2);
                return text[..(colon + 2)] + Insertions[random.Next(27, 35)] + (end < 0 ? "" : text[end..]);
            case 7:
                return text.Insert(at, " ");
            default:
                return text.Insert(at, Insertions[random.Next(Insertions.Length)]);
        }
    }
}
