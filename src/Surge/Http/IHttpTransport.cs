namespace Surge.Http;

/// <summary>Sends prepared requests and reports k6's timing phases; failures come back as named errors, not exceptions.</summary>
internal interface IHttpTransport : IDisposable
{
    /// <param name="keep">Receives status, headers and body when a check or capture needs them; null discards the body.</param>
    ValueTask<HttpTimings> SendAsync(HttpRequest request, HttpResponseBuffer? keep, CancellationToken cancellationToken);
}
