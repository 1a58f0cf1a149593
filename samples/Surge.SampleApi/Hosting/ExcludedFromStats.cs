namespace Surge.SampleApi.Hosting;

/// <summary>Endpoint metadata: requests to this endpoint are not counted (GET /stats must not count itself).</summary>
internal sealed class ExcludedFromStats
{
    public static readonly ExcludedFromStats Instance = new();

    private ExcludedFromStats()
    {
    }
}
