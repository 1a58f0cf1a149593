namespace Surge.Http.Http1;

/// <summary>
/// A VU's own connections, as in k6: at most one idle connection per endpoint. A VU runs one request at a time and
/// most flows talk to one or two hosts, so a short list beats a dictionary.
/// </summary>
internal sealed class PerVuConnections : IConnectionSource
{
    /// <summary>Idle connections kept at most: redirects to ever new hosts or ports must not pile up open sockets.</summary>
    internal const int MaxIdle = 16;

    private readonly List<Http1Connection> _idle = new(1);

    public Http1Connection? Take(HttpEndpoint endpoint)
    {
        for (var i = 0; i < _idle.Count; i++)
        {
            var connection = _idle[i];
            if (ReferenceEquals(connection.Endpoint, endpoint) || connection.Endpoint == endpoint)
            {
                _idle.RemoveAt(i);
                return connection;
            }
        }
        return null;
    }

    public void Return(Http1Connection connection)
    {
        if (_idle.Count >= MaxIdle)
        {
            _idle[0].Dispose(); // the longest idle
            _idle.RemoveAt(0);
        }
        _idle.Add(connection);
    }

    public void Dispose()
    {
        foreach (var connection in _idle)
        {
            connection.Dispose();
        }
        _idle.Clear();
    }
}
