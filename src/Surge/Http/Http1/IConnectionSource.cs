namespace Surge.Http.Http1;

/// <summary>Where a client gets idle keep-alive connections and puts them back.</summary>
internal interface IConnectionSource : IDisposable
{
    /// <summary>An idle connection to <paramref name="endpoint"/>, or null when the caller must open one.</summary>
    Http1Connection? Take(HttpEndpoint endpoint);

    void Return(Http1Connection connection);
}
