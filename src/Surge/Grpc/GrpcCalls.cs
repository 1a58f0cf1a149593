using Surge.Engine;

namespace Surge.Grpc;

/// <summary>
/// The seam every gRPC caller goes through, C# context and YAML steps alike: the VU's channel to a target (its own,
/// or the run's when connections are shared) with the recording layer on top.
/// </summary>
internal static class GrpcCalls
{
    /// <summary>
    /// A recording invoker on <paramref name="vu"/>'s channel to <paramref name="address"/> (see
    /// <see cref="GrpcTarget.Resolve"/>), whose calls take their tags, token, default deadline and metadata from
    /// <paramref name="scope"/>. Cheap, but keep it: one per VU, target and scope.
    /// </summary>
    public static RecordingCallInvoker Invoker(VirtualUser vu, Uri address, IGrpcCallScope scope) =>
        new(vu.GrpcChannels.For(address), vu.Scenario.Recorder, scope);
}
