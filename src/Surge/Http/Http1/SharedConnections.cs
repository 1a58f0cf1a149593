using System.Collections.Concurrent;

namespace Surge.Http.Http1;

/// <summary>
/// One pool of idle connections for the whole run, for targets that limit connections or to model a proxy:
/// VUs take any idle connection to the endpoint and open a new one only when none is idle.
/// </summary>
internal sealed class SharedConnections : IConnectionSource
{
    private readonly ConcurrentDictionary<HttpEndpoint, ConcurrentQueue<Http1Connection>> _idle = new();

    public Http1Connection? Take(HttpEndpoint endpoint) =>
        _idle.TryGetValue(endpoint, out var queue) && queue.TryDequeue(out var connection) ? connection : null;

    public void Return(Http1Connection connection) =>
        _idle.GetOrAdd(connection.Endpoint, static _ => new ConcurrentQueue<Http1Connection>()).Enqueue(connection);

    public void Dispose()
    {
        foreach (var queue in _idle.Values)
        {
            while (queue.TryDequeue(out var connection))
            {
                connection.Dispose();
            }
        }
    }
}
