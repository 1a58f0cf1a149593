using System.Threading.Channels;
using Microsoft.Data.Sqlite;

namespace Surge.SampleApi.Stores;

/// <summary>
/// A real SQLite database (data.db) in WAL mode: readers never wait for the writer, and every write is a transaction
/// committed with synchronous=FULL before it is acknowledged, so an acknowledged write survives a crash or a power cut
/// and is visible to the next read. Ids come from AUTOINCREMENT, so they are never handed out twice, not even after a
/// delete. Writes go through one connection that commits whatever is waiting as one transaction (group commit): one
/// fsync then serves every writer that queued behind it, which is what keeps a durable store fast under concurrency.
/// </summary>
internal sealed class SqliteStore : IDataStore, IAsyncDisposable
{
    private const int SchemaVersion = 1;

    // Enough to amortise the fsync, small enough that the first writer in a batch does not wait long for the last.
    private const int MaxWritesPerCommit = 256;

    private readonly string _connectionString;
    private readonly Channel<PendingWrite> _writes = Channel.CreateUnbounded<PendingWrite>(new UnboundedChannelOptions { SingleReader = true });
    private SqliteConnection? _writer;
    private Task _writeLoop = Task.CompletedTask;

    public SqliteStore(string path) =>
        _connectionString = new SqliteConnectionStringBuilder { DataSource = path, Pooling = true }.ToString();

    public StoreKind Kind => StoreKind.Sqlite;

    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        _writer = new SqliteConnection(_connectionString);
        await _writer.OpenAsync(cancellationToken);
        // WAL is a property of the database file; synchronous is per connection and only the writer commits.
        Execute(_writer, null, "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;");
        using (var transaction = _writer.BeginTransaction())
        {
            if (Scalar(_writer, transaction, "PRAGMA user_version") < SchemaVersion)
            {
                CreateAndSeed(_writer, transaction);
            }

            transaction.Commit();
        }

        _writeLoop = Task.Run(WriteLoopAsync, CancellationToken.None);
    }

    public async ValueTask<IReadOnlyList<Item>> ListItemsAsync(int offset, int limit, CancellationToken cancellationToken) =>
        await QueryAsync("SELECT id, name, price FROM items ORDER BY id LIMIT $limit OFFSET $offset", ReadItem, cancellationToken,
            ("$limit", limit), ("$offset", offset));

    public async ValueTask<Item?> FindItemAsync(int id, CancellationToken cancellationToken) =>
        (await QueryAsync("SELECT id, name, price FROM items WHERE id = $id", ReadItem, cancellationToken, ("$id", id))).FirstOrDefault();

    public ValueTask<Item> AddItemAsync(string name, decimal price, CancellationToken cancellationToken) =>
        WriteAsync((connection, transaction) =>
        {
            var id = Scalar(connection, transaction, "INSERT INTO items (name, price) VALUES ($name, $price) RETURNING id",
                ("$name", name), ("$price", price));
            return new Item(id, name, price);
        });

    public ValueTask<Item?> UpdateItemAsync(int id, string name, decimal price, CancellationToken cancellationToken) =>
        WriteAsync((connection, transaction) =>
            Execute(connection, transaction, "UPDATE items SET name = $name, price = $price WHERE id = $id",
                ("$name", name), ("$price", price), ("$id", id)) == 1
                ? new Item(id, name, price)
                : null);

    public ValueTask<bool> RemoveItemAsync(int id, CancellationToken cancellationToken) =>
        WriteAsync((connection, transaction) => Execute(connection, transaction, "DELETE FROM items WHERE id = $id", ("$id", id)) == 1);

    public async ValueTask<IReadOnlyList<Order>> ListOrdersAsync(int offset, int limit, CancellationToken cancellationToken) =>
        await QueryAsync("SELECT id, item_id, quantity, created_at FROM orders ORDER BY id LIMIT $limit OFFSET $offset", ReadOrder,
            cancellationToken, ("$limit", limit), ("$offset", offset));

    public async ValueTask<Order?> FindOrderAsync(int id, CancellationToken cancellationToken) =>
        (await QueryAsync("SELECT id, item_id, quantity, created_at FROM orders WHERE id = $id", ReadOrder, cancellationToken, ("$id", id)))
            .FirstOrDefault();

    public ValueTask<Order> AddOrderAsync(int itemId, int quantity, CancellationToken cancellationToken) =>
        WriteAsync((connection, transaction) =>
        {
            var createdAt = DateTimeOffset.UtcNow;
            var id = Scalar(connection, transaction,
                "INSERT INTO orders (item_id, quantity, created_at) VALUES ($itemId, $quantity, $createdAt) RETURNING id",
                ("$itemId", itemId), ("$quantity", quantity), ("$createdAt", createdAt));
            return new Order(id, itemId, quantity, createdAt);
        });

    public async ValueTask DisposeAsync()
    {
        _writes.Writer.TryComplete();
        await _writeLoop;
        if (_writer is not null)
        {
            // Pooled reader connections would keep the file open after the host is gone.
            SqliteConnection.ClearPool(_writer);
            await _writer.DisposeAsync();
        }
    }

    private static void CreateAndSeed(SqliteConnection connection, SqliteTransaction transaction)
    {
        Execute(connection, transaction, $"""
            CREATE TABLE items (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL, price TEXT NOT NULL);
            CREATE TABLE orders (id INTEGER PRIMARY KEY AUTOINCREMENT, item_id INTEGER NOT NULL, quantity INTEGER NOT NULL,
                created_at TEXT NOT NULL);
            PRAGMA user_version = {SchemaVersion};
            """);
        foreach (var item in DataDocument.Seed().Items)
        {
            Execute(connection, transaction, "INSERT INTO items (id, name, price) VALUES ($id, $name, $price)",
                ("$id", item.Id), ("$name", item.Name), ("$price", item.Price));
        }
    }

    /// <summary>
    /// Queues a write for the writer connection; the task completes only after the transaction holding it committed.
    /// Not cancellable once queued: a client that hangs up must not decide whether its write happened.
    /// </summary>
    private ValueTask<T> WriteAsync<T>(Func<SqliteConnection, SqliteTransaction, T> write)
    {
        var pending = new PendingWrite<T>(write);
        return _writes.Writer.TryWrite(pending)
            ? new ValueTask<T>(pending.Task)
            : ValueTask.FromException<T>(new ObjectDisposedException(nameof(SqliteStore)));
    }

    private async Task WriteLoopAsync()
    {
        var batch = new List<PendingWrite>(MaxWritesPerCommit);
        while (await _writes.Reader.WaitToReadAsync())
        {
            while (batch.Count < MaxWritesPerCommit && _writes.Reader.TryRead(out var write))
            {
                batch.Add(write);
            }

            CommitBatch(batch);
            batch.Clear();
        }
    }

    private void CommitBatch(List<PendingWrite> batch)
    {
        try
        {
            using var transaction = _writer!.BeginTransaction();
            foreach (var write in batch)
            {
                write.Run(_writer, transaction);
            }

            transaction.Commit();
        }
        catch (Exception e)
        {
            // The transaction rolled back, so no write in it happened: each fails, none is acknowledged, and the loop
            // lives on for the writes behind them.
            foreach (var write in batch)
            {
                write.Fail(e);
            }

            return;
        }

        foreach (var write in batch)
        {
            write.Acknowledge();
        }
    }

    /// <summary>Reads on a pooled connection of its own: in WAL mode readers neither wait for the writer nor block it.</summary>
    private async Task<List<T>> QueryAsync<T>(string sql, Func<SqliteDataReader, T> read, CancellationToken cancellationToken,
        params (string Name, object Value)[] parameters)
    {
        await using var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        using var command = Command(connection, null, sql, parameters);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rows = new List<T>();
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(read(reader));
        }

        return rows;
    }

    private static Item ReadItem(SqliteDataReader row) => new(row.GetInt32(0), row.GetString(1), row.GetDecimal(2));

    private static Order ReadOrder(SqliteDataReader row) => new(row.GetInt32(0), row.GetInt32(1), row.GetInt32(2), row.GetDateTimeOffset(3));

    private static int Execute(SqliteConnection connection, SqliteTransaction? transaction, string sql, params (string Name, object Value)[] parameters)
    {
        using var command = Command(connection, transaction, sql, parameters);
        return command.ExecuteNonQuery();
    }

    private static int Scalar(SqliteConnection connection, SqliteTransaction? transaction, string sql, params (string Name, object Value)[] parameters)
    {
        using var command = Command(connection, transaction, sql, parameters);
        return Convert.ToInt32(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static SqliteCommand Command(SqliteConnection connection, SqliteTransaction? transaction, string sql, params (string Name, object Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return command;
    }

    private abstract class PendingWrite
    {
        public abstract void Run(SqliteConnection connection, SqliteTransaction transaction);

        public abstract void Acknowledge();

        public abstract void Fail(Exception error);
    }

    private sealed class PendingWrite<T>(Func<SqliteConnection, SqliteTransaction, T> write) : PendingWrite
    {
        private readonly TaskCompletionSource<T> _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private T? _result;

        public Task<T> Task => _done.Task;

        public override void Run(SqliteConnection connection, SqliteTransaction transaction) => _result = write(connection, transaction);

        public override void Acknowledge() => _done.TrySetResult(_result!);

        public override void Fail(Exception error) => _done.TrySetException(error);
    }
}
