using System.CommandLine;
using System.Globalization;
using Surge.Cli.Control;
using Surge.Cli.Dashboard;
using Surge.Plans;
using Surge.Plans.Segments;

namespace Surge.Cli.Commands;

/// <summary>How one instance of a distributed run starts: paused until `surge resume` (through the REST API), or at a time.</summary>
/// <param name="Api">Where the REST API listens, or null for none.</param>
public sealed record RunStart(bool Paused, DashboardAddress? Api, DateTimeOffset? StartAt, string Token, bool TokenGiven)
{
    /// <summary>What the run awaits once prepared (<see cref="RunSettings.StartGate"/>): the start time, then the API's resume.</summary>
    public Func<int, CancellationToken, Task> Gate(ControlApi? api, TextWriter log) => async (vus, stop) =>
    {
        if (StartAt is { } at)
        {
            var wait = at - DateTimeOffset.UtcNow;
            log.WriteLine(wait > TimeSpan.Zero
                ? $"ready with {vus} VUs; starting at {at:O} (in {Durations.Format(wait)})"
                : $"ready with {vus} VUs; the start time {at:O} passed {Durations.Format(-wait)} ago, so starting now");
            // Long waits sleep in steps, so that the wall clock (which NTP may step) is read again near the start.
            while ((wait = at - DateTimeOffset.UtcNow) > TimeSpan.Zero)
            {
                await Task.Delay(wait > TimeSpan.FromSeconds(2) ? wait - TimeSpan.FromSeconds(1) : wait, stop).ConfigureAwait(false);
            }
        }
        if (api is not null)
        {
            if (Paused)
            {
                log.WriteLine($"paused: ready with {vus} VUs; start with `surge resume {api.Address.Authority}`");
            }
            await api.WaitForResumeAsync(vus, stop).ConfigureAwait(false);
        }
    };
}

/// <summary>
/// k6's options for running one part of a test on each of several instances: `--execution-segment`,
/// `--execution-segment-sequence`, `--no-setup`, `--no-teardown`, `--paused` and `--address` (the REST API), and
/// `--start-at` for instances whose clocks agree.
/// </summary>
public sealed class DistributedOptionSet
{
    /// <summary>The token the REST API asks for when it changes the run; `surge resume` reads it too.</summary>
    public const string TokenVariable = "SURGE_API_TOKEN";

    private readonly Option<string?> _segment = new("--execution-segment")
    {
        Description = "Run only this part of the test, k6's FROM:TO (e.g. 1/3:2/3, 0:25%, 0.5:1); VUs, iterations, arrivals and sequential data rows are shared out exactly",
    };

    private readonly Option<string?> _sequence = new("--execution-segment-sequence")
    {
        Description = "All instances' segments as points, e.g. 0,1/3,2/3,1; give every instance the same one (k6 semantics)",
    };

    private readonly Option<bool> _noSetup = new("--no-setup") { Description = "Don't run the test's setup steps (each instance of a distributed run runs them otherwise)" };

    private readonly Option<bool> _noTeardown = new("--no-teardown") { Description = "Don't run the test's teardown steps" };

    private readonly Option<bool> _paused = new("--paused")
    {
        Description = $"Prepare everything, then wait without sending anything until resumed through the REST API (`surge resume ADDR`); the API listens on 127.0.0.1:{ControlApi.DefaultPort} unless --address says otherwise",
    };

    private readonly Option<string?> _address = new("--address")
    {
        Description = $"Serve k6's REST API (GET/PATCH /v1/status) at HOST:PORT; with --paused the default is 127.0.0.1:{ControlApi.DefaultPort}; '' turns it off. Changes need the token in ${TokenVariable}",
    };

    private readonly Option<string[]> _addressHost = new("--address-host")
    {
        Description = "A host name the REST API answers to besides this machine's own names and addresses (e.g. a Kubernetes service's DNS name); repeatable",
        AllowMultipleArgumentsPerToken = false,
    };

    private readonly Option<string?> _startAt = new("--start-at")
    {
        Description = "Prepare everything, then start at this time: RFC 3339 (2026-12-01T10:00:00Z) or unix seconds; for instances whose clocks agree",
    };

    public void AddTo(Command command, bool inspect)
    {
        command.Options.Add(_segment);
        command.Options.Add(_sequence);
        command.Options.Add(_noSetup);
        command.Options.Add(_noTeardown);
        if (!inspect)
        {
            command.Options.Add(_paused);
            command.Options.Add(_address);
            command.Options.Add(_addressHost);
            command.Options.Add(_startAt);
        }
    }

    /// <summary>The plan's share for this instance's segment, without setup or teardown when asked.</summary>
    public TestPlan Apply(ParseResult parse, TestPlan plan)
    {
        ArgumentNullException.ThrowIfNull(parse);
        ArgumentNullException.ThrowIfNull(plan);
        ExecutionTuple tuple;
        try
        {
            tuple = ExecutionTuple.Parse(parse.GetValue(_segment), parse.GetValue(_sequence));
        }
        catch (SegmentFormatException exception) when (exception.Message.StartsWith("--", StringComparison.Ordinal))
        {
            throw new UsageException(exception.Message);
        }
        catch (SegmentFormatException exception)
        {
            var sequence = parse.GetValue(_sequence) is { } points ? $" --execution-segment-sequence {points}" : "";
            throw new UsageException($"--execution-segment {parse.GetValue(_segment)}{sequence}: {exception.Message}");
        }
        plan = plan.Segmented(tuple);
        if (parse.GetValue(_noSetup))
        {
            plan = plan with { Setup = [] };
        }
        return parse.GetValue(_noTeardown) ? plan with { Teardown = [] } : plan;
    }

    /// <summary>How this run starts, or null to start at once with no REST API.</summary>
    public RunStart? ReadStart(ParseResult parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        var paused = parse.GetValue(_paused);
        var addressGiven = parse.GetResult(_address) is { Implicit: false };
        var addressText = parse.GetValue(_address);
        var startAtText = parse.GetValue(_startAt);
        if (paused && startAtText is not null)
        {
            throw new UsageException("--paused and --start-at both say when to start; use one");
        }
        if (paused && addressGiven && string.IsNullOrEmpty(addressText))
        {
            throw new UsageException("--paused waits for `surge resume` through the REST API, which --address '' turns off; give it an address, or use --start-at");
        }
        var api = paused || !string.IsNullOrEmpty(addressText)
            ? DashboardAddress.Parse(addressText, "--address", ControlApi.DefaultPort) with { AllowedHosts = parse.GetValue(_addressHost) ?? [] }
            : null;
        DateTimeOffset? startAt = startAtText is null ? null : ParseTime(startAtText);
        if (api is null && startAt is null)
        {
            return null;
        }
        var token = Environment.GetEnvironmentVariable(TokenVariable);
        return new RunStart(paused, api, startAt, string.IsNullOrEmpty(token) ? RequestGuard.NewToken() : token, !string.IsNullOrEmpty(token));
    }

    /// <summary>RFC 3339 with its time zone (2026-12-01T10:00:00Z, ...+01:00), or unix seconds (1796119200, 1796119200.5).</summary>
    public static DateTimeOffset ParseTime(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (decimal.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var seconds) && seconds < 253_402_300_800m)
        {
            return DateTimeOffset.UnixEpoch.AddTicks((long)(seconds * TimeSpan.TicksPerSecond));
        }
        var hasZone = text.Length > 10 && (text.EndsWith('Z') || text.EndsWith('z') || text[10..].IndexOfAny(['+', '-']) >= 0);
        if (hasZone && (text.Contains('T', StringComparison.Ordinal) || text.Contains('t', StringComparison.Ordinal) || text.Contains(' ', StringComparison.Ordinal))
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal, out var time))
        {
            return time;
        }
        throw new UsageException($"--start-at '{text}' is not a time; write RFC 3339 with a time zone (2026-12-01T10:00:00Z) or unix seconds (1796119200)");
    }
}
