namespace Surge.Plans;

/// <summary>
/// A step written in C#: it gets the VU's <see cref="VuContext"/> (an HTTP client that records k6's metrics, checks,
/// custom metrics, data and variables). What it throws fails the iteration, which is counted, and the run goes on.
/// </summary>
public sealed record CodeStep(string Name, Func<VuContext, Task> Body) : Step;
