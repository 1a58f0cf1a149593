namespace Surge.Http;

/// <summary>Sends prepared requests and reports k6's timing phases; failures come back as named errors, not exceptions.</summary>
internal interface IHttpTransport : IDisposable
{
    /// <summary>Sends <paramref name="request"/> once and returns its status (or error name), phases and bytes; it does not throw for network failures.</summary>
    /// <param name="request">The prepared request.</param>
    /// <param name="keep">Receives status, headers and body when a check or capture needs them; null discards the body.</param>
    /// <param name="cancellationToken">Interrupts the request (the run's hard stop); it then ends with error <c>interrupted</c>.</param>
    ValueTask<HttpTimings> SendAsync(HttpRequest request, HttpResponseBuffer? keep, CancellationToken cancellationToken);
}
