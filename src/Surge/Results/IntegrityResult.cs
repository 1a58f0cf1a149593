namespace Surge.Results;

/// <summary>What a verify stage found: acknowledged writes against the server's records.</summary>
/// <param name="Ledger">The ledger the stage checked: the ids a test acknowledged under that name.</param>
public sealed record IntegrityResult(string Ledger)
{
    /// <summary>Writes the client saw succeed (captured ids, duplicates included).</summary>
    public int Acknowledged { get; init; }

    /// <summary>Records the server lists.</summary>
    public int OnServer { get; init; }

    /// <summary>Acknowledged ids handed out more than once: two writes were told they made the same record.</summary>
    public int DuplicatesAcknowledged { get; init; }

    /// <summary>Ids the server lists more than once.</summary>
    public int DuplicatesOnServer { get; init; }

    /// <summary>Acknowledged ids the server does not have: lost writes.</summary>
    public int Missing { get; init; }

    /// <summary>Why the server's records could not be read, if they could not.</summary>
    public string? Error { get; init; }

    /// <summary>True when the records could be read and no write was lost or duplicated; each also records three checks.</summary>
    public bool Passed => Error is null && DuplicatesAcknowledged == 0 && DuplicatesOnServer == 0 && Missing == 0;

    /// <summary>A stage that could not compare, because the server's records could not be read (<paramref name="error"/> says why).</summary>
    public static IntegrityResult Failed(string ledger, int acknowledged, string error) =>
        new(ledger) { Acknowledged = acknowledged, Error = error };

    /// <summary>One line for the summary's warnings: <c>verify orders: 120 writes acknowledged, 118 records on the server, 2 missing, ...</c>.</summary>
    public override string ToString() => Error is not null
        ? $"verify {Ledger}: {Error}"
        : $"verify {Ledger}: {Acknowledged} writes acknowledged, {OnServer} records on the server, {Missing} missing, "
          + $"{DuplicatesAcknowledged} duplicate ids acknowledged, {DuplicatesOnServer} duplicates on the server";
}
