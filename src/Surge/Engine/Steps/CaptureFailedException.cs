using Surge.Plans;

namespace Surge.Engine.Steps;

/// <summary>A capture found nothing: the iteration fails (and is counted), since later steps would lack the value.</summary>
internal sealed class CaptureFailedException(CapturePlan capture)
    : Exception($"capture of '{capture.Variable}' found nothing with {capture.Source} '{capture.Expression}'"
        + (capture.Location is { } at ? $" ({at})" : ""));
