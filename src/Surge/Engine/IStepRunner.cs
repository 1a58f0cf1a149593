namespace Surge.Engine;

/// <summary>A step compiled for running: shared by every VU of a scenario, with per-VU state kept on the VU.</summary>
public interface IStepRunner
{
    ValueTask RunAsync(VirtualUser vu, CancellationToken cancellationToken);
}
