using System.Net;

namespace Surge.Outputs;

/// <summary>
/// The HTTP side shared by the outputs that post to a backend: one client whose requests give up after
/// <see cref="RequestTimeout"/>, and failures told as short reasons (http_400: the server's first words).
/// </summary>
internal static class HttpDelivery
{
    /// <summary>A backend that does not answer costs at most this per batch; the output's queue absorbs the wait.</summary>
    public static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(5);

    public static HttpClient CreateClient(bool insecureSkipTlsVerify = false)
    {
        var handler = new SocketsHttpHandler
        {
            ConnectTimeout = RequestTimeout,
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30),
            UseProxy = false,
        };
        if (insecureSkipTlsVerify)
        {
#pragma warning disable CA5359 // the user's explicit K6_*_INSECURE_SKIP_TLS_VERIFY, for a self-signed backend
            handler.SslOptions.RemoteCertificateValidationCallback = (_, _, _, _) => true;
#pragma warning restore CA5359
        }
        return new HttpClient(handler) { Timeout = RequestTimeout };
    }

    /// <summary>Throws <see cref="DeliveryException"/> naming the status and the start of the body unless it succeeded.</summary>
    public static async Task EnsureDeliveredAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }
        var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        var firstLine = body.Split('\n', 2)[0].Trim();
        if (firstLine.Length > 120)
        {
            firstLine = firstLine[..120] + "...";
        }
        throw new DeliveryException(response.StatusCode, $"http_{(int)response.StatusCode}{(firstLine.Length > 0 ? ": " + firstLine : "")}");
    }
}

/// <summary>A backend answered, but refused the batch; its message is the drop reason.</summary>
internal sealed class DeliveryException : Exception
{
    public DeliveryException(HttpStatusCode status, string reason) : base(reason)
    {
        Status = status;
    }

    public DeliveryException() { }

    public DeliveryException(string message) : base(message) { }

    public DeliveryException(string message, Exception innerException) : base(message, innerException) { }

    public HttpStatusCode Status { get; }

    /// <summary>A client error other than 429 will fail the same way again, so retrying it is pointless.</summary>
    public bool IsPermanent => (int)Status is >= 400 and < 500 and not 429;
}
