namespace Surge.Engine;

/// <summary>A step compiled for running: shared by every VU of a scenario, with per-VU state kept on the VU.</summary>
internal interface IStepRunner
{
    ValueTask RunAsync(VirtualUser vu, CancellationToken cancellationToken);
}
