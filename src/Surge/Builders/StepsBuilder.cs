using System.Runtime.CompilerServices;
using Surge.Plans;

namespace Surge;

/// <summary>Steps in order: requests, pauses, C# code and groups. Scenarios, flows, groups and onStart all build steps.</summary>
public abstract class StepsBuilder<TSelf>
    where TSelf : StepsBuilder<TSelf>
{
    private readonly List<Step> _steps = [];

    private protected IReadOnlyList<Step> Steps => _steps;

    /// <summary>
    /// A GET of <paramref name="url"/> (absolute, or relative to the base URL); <paramref name="name"/> is the `name`
    /// tag that keeps ids out of the series, the URL when null.
    /// </summary>
    public TSelf Get(string url, string? name = null, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0) =>
        Request(new RequestStep { Method = "GET", Url = url, Name = name, Location = PlanBuilder.At(file, line) });

    /// <summary>A POST of <paramref name="body"/> with <paramref name="contentType"/> (JSON by default) as its Content-Type; <paramref name="name"/> as in Get.</summary>
    public TSelf Post(string url, string body, string contentType = "application/json", string? name = null,
        [CallerFilePath] string file = "", [CallerLineNumber] int line = 0) => Request(new RequestStep
    {
        Method = "POST",
        Url = url,
        Body = body,
        Headers = [new("Content-Type", contentType)],
        Name = name,
        Location = PlanBuilder.At(file, line),
    });

    /// <summary>Any request, with checks, captures and custom-metric records as in YAML.</summary>
    public TSelf Request(RequestStep request) => Step(request);

    /// <summary>A fixed pause, like a user reading a page; not counted in any request's duration.</summary>
    public TSelf Think(TimeSpan pause, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0) => Think(pause, pause, file, line);

    /// <summary>A pause drawn uniformly between <paramref name="min"/> and <paramref name="max"/>.</summary>
    public TSelf Think(TimeSpan min, TimeSpan max, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        var at = PlanBuilder.At(file, line);
        if (PlanRules.NotNegative("think", min) is { } problem)
        {
            throw new PlanException(problem.Message, at);
        }
        return min <= max
            ? Step(new ThinkStep(min, max) { Location = at })
            : throw new PlanException($"think: the shortest pause ({Durations.Format(min)}) is longer than the longest ({Durations.Format(max)})", at);
    }

    /// <summary>C# code with the VU's context: its HTTP client records metrics by itself; add checks and custom metrics.</summary>
    public TSelf Run(Func<VuContext, Task> body) => Run("code", body);

    /// <inheritdoc cref="Run(Func{VuContext, Task})"/>
    public TSelf Run(string name, Func<VuContext, Task> body) => Step(new CodeStep(name, body));

    /// <summary>k6's group: the steps inside record under a `group` tag, and the whole under group_duration.</summary>
    public TSelf Group(string name, Action<GroupBuilder> configure)
    {
        var group = new GroupBuilder();
        configure(group);
        return Step(new GroupStep(name, group.Build($"group '{name}'")));
    }

    /// <summary>Any step record (a WebSocket session, a loop, a gRPC call with its descriptor...), run in order with the others.</summary>
    public TSelf Step(Step step)
    {
        _steps.Add(step);
        return (TSelf)this;
    }

    private protected IReadOnlyList<Step> Build(string what) =>
        _steps.Count > 0 ? [.. _steps] : throw new PlanException($"{what} has no steps; add e.g. .Get(url) or .Run(ctx => ...)");
}

/// <summary>The steps of a group, a flow or an onStart.</summary>
public sealed class GroupBuilder : StepsBuilder<GroupBuilder>
{
    internal new IReadOnlyList<Step> Build(string what) => base.Build(what);
}
