namespace Surge.Plans;

/// <summary>
/// A step written in C#: it gets the VU's <see cref="VuContext"/> (an HTTP client that records k6's metrics, checks,
/// custom metrics, data and variables). What it throws fails the iteration, which is counted, and the run goes on.
/// </summary>
/// <param name="Name">Names the step in messages, e.g. a VU that did not return from it after the hard stop.</param>
/// <param name="Body">The step's code, awaited once per iteration with the VU's context.</param>
public sealed record CodeStep(string Name, Func<VuContext, Task> Body) : Step;
