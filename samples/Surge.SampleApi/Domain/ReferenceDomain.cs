using System.Collections.Concurrent;
using System.Globalization;
using System.Text.RegularExpressions;
using Surge.SampleApi.Grpc.Cashiers;
using Surge.SampleApi.Grpc.Invoices;

namespace Surge.SampleApi.Domain;

/// <summary>
/// The cashiers and invoices that the REST endpoints and the gRPC services share, in memory. Every change is a
/// compare-and-swap of an immutable entry whose version it checked, so of N concurrent updates made with the same
/// version exactly one succeeds and the others get a conflict, however they interleave. Validation lives here too,
/// so both protocols refuse the same input with the same message.
/// </summary>
internal sealed partial class ReferenceDomain(DomainStats stats)
{
    private const int MaxText = 200;
    private const int MaxLines = 100;
    private const int MaxQuantity = 1000;
    private const long MaxUnitPriceCents = 1_000_000_000;
    private const int MaxAttachmentBytes = 64 * 1024;
    private const int MaxListItems = 100;
    private const string DefaultCurrency = "EUR";

    private readonly ConcurrentDictionary<string, Entry<Cashier>> _cashiers = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Entry<Invoice>> _invoices = new(StringComparer.Ordinal);
    private long _lastCashier;
    private long _lastInvoice;

    public DomainStats Stats => stats;

    public Outcome<Cashier> CreateCashier(CreateCashierRequest request, ApiProtocol protocol)
    {
        var invalid = Text("name", request.Name) ?? Email(request.Email) ?? Role(request.Role)
            ?? Texts("registers", request.Registers) ?? Texts("labels", request.Labels.Keys) ?? Texts("labels", request.Labels.Values);
        if (invalid is not null)
        {
            return Refuse(protocol, Failure.InvalidArgument, invalid);
        }

        var sequence = Interlocked.Increment(ref _lastCashier);
        var cashier = new Cashier
        {
            Id = "cashier-" + sequence.ToString(CultureInfo.InvariantCulture),
            Name = request.Name,
            Email = request.Email,
            Role = request.Role == CashierRole.Unspecified ? CashierRole.Regular : request.Role,
            Version = 1,
            Active = true,
            Registers = { request.Registers },
            Labels = { request.Labels },
        };
        _cashiers[cashier.Id] = new Entry<Cashier>(sequence, cashier.Version, cashier);
        stats.Record(protocol, DomainEvent.CashierCreated);
        return cashier;
    }

    public Outcome<Cashier> GetCashier(string id, ApiProtocol protocol) => Get(_cashiers, "cashier", id, protocol, DomainEvent.CashierRead);

    /// <summary>Every cashier in the order they were created, up to <paramref name="limit"/> (0 means all).</summary>
    public Outcome<IReadOnlyList<Cashier>> ListCashiers(int limit, ApiProtocol protocol)
    {
        if (limit < 0)
        {
            return Refuse(protocol, Failure.InvalidArgument, "limit must be 0 (all) or more");
        }

        var all = _cashiers.Values.OrderBy(entry => entry.Sequence).Select(entry => entry.Message);
        IReadOnlyList<Cashier> cashiers = [.. limit == 0 ? all : all.Take(limit)];
        stats.Record(protocol, DomainEvent.CashiersListed);
        return new Outcome<IReadOnlyList<Cashier>>(cashiers, null);
    }

    /// <summary>
    /// Replaces name, email, role and active; registers and labels are kept. An empty name or email, or an unspecified
    /// role, keeps the current value (proto3 cannot tell a missing field from an empty one); active is taken as sent.
    /// </summary>
    public Outcome<Cashier> UpdateCashier(UpdateCashierRequest request, ApiProtocol protocol)
    {
        var invalid = Version(request.Version)
            ?? (request.Name.Length == 0 ? null : Text("name", request.Name))
            ?? (request.Email.Length == 0 ? null : Email(request.Email))
            ?? Role(request.Role);
        if (invalid is not null)
        {
            return Refuse(protocol, Failure.InvalidArgument, invalid);
        }

        return Change(_cashiers, "cashier", request.Id, request.Version, protocol, DomainEvent.CashierUpdated, current =>
        {
            var updated = current.Clone();
            updated.Name = request.Name.Length == 0 ? current.Name : request.Name;
            updated.Email = request.Email.Length == 0 ? current.Email : request.Email;
            updated.Role = request.Role == CashierRole.Unspecified ? current.Role : request.Role;
            updated.Active = request.Active;
            updated.Version = current.Version + 1;
            return updated;
        });
    }

    public Outcome<DeleteCashierResponse> DeleteCashier(string id, long version, ApiProtocol protocol)
    {
        if (Version(version) is { } invalid)
        {
            return Refuse(protocol, Failure.InvalidArgument, invalid);
        }

        while (true)
        {
            if (!_cashiers.TryGetValue(id, out var entry))
            {
                return Refuse(protocol, Failure.NotFound, NotFound("cashier", id));
            }

            if (entry.Version != version)
            {
                return Refuse(protocol, Failure.Conflict, Stale("cashier", id, entry.Version, version));
            }

            if (_cashiers.TryRemove(KeyValuePair.Create(id, entry)))
            {
                stats.Record(protocol, DomainEvent.CashierDeleted);
                return new DeleteCashierResponse { Id = id };
            }
        }
    }

    public Outcome<Invoice> CreateInvoice(CreateInvoiceRequest request, ApiProtocol protocol)
    {
        if (Validate(request) is { } error)
        {
            return Refuse(protocol, error.Kind, error.Message);
        }

        var invoice = Store(request);
        stats.Record(protocol, DomainEvent.InvoiceCreated);
        return invoice;
    }

    public Outcome<Invoice> GetInvoice(string id, ApiProtocol protocol) => Get(_invoices, "invoice", id, protocol, DomainEvent.InvoiceRead);

    /// <summary>Pays an open invoice in full: amountCents is its total, or 0 for "the total".</summary>
    public Outcome<Invoice> PayInvoice(PayInvoiceRequest request, ApiProtocol protocol)
    {
        var invalid = Version(request.Version) ?? (request.AmountCents < 0 ? "amountCents must be 0 (the total) or the invoice's total" : null);
        if (invalid is not null)
        {
            return Refuse(protocol, Failure.InvalidArgument, invalid);
        }

        return Change(_invoices, "invoice", request.Id, request.Version, protocol, DomainEvent.InvoicePaid, current =>
        {
            if (current.Status != InvoiceStatus.Open)
            {
                return new DomainError(Failure.FailedPrecondition, $"invoice '{current.Id}' is {StatusName(current.Status)} and cannot be paid");
            }

            if (request.AmountCents != 0 && request.AmountCents != current.TotalCents)
            {
                return new DomainError(Failure.InvalidArgument, FormattableString.Invariant(
                    $"amountCents {request.AmountCents} is not the invoice's total {current.TotalCents} (0 pays the total)"));
            }

            var paid = current.Clone();
            paid.Status = InvoiceStatus.Paid;
            paid.Version = current.Version + 1;
            return paid;
        });
    }

    public Outcome<Invoice> CancelInvoice(CancelInvoiceRequest request, ApiProtocol protocol)
    {
        var invalid = Version(request.Version) ?? (request.Reason.Length > MaxText ? $"reason must be at most {MaxText} characters" : null);
        if (invalid is not null)
        {
            return Refuse(protocol, Failure.InvalidArgument, invalid);
        }

        return Change(_invoices, "invoice", request.Id, request.Version, protocol, DomainEvent.InvoiceCancelled, current =>
        {
            if (current.Status != InvoiceStatus.Open)
            {
                return new DomainError(Failure.FailedPrecondition, $"invoice '{current.Id}' is {StatusName(current.Status)} and cannot be cancelled");
            }

            var cancelled = current.Clone();
            cancelled.Status = InvoiceStatus.Cancelled;
            cancelled.Version = current.Version + 1;
            return cancelled;
        });
    }

    /// <summary>All or nothing: every invoice is checked before any is stored; an error names the invoice by its index.</summary>
    public Outcome<ImportInvoicesResponse> ImportInvoices(IReadOnlyList<CreateInvoiceRequest> requests, ApiProtocol protocol)
    {
        for (var i = 0; i < requests.Count; i++)
        {
            if (Validate(requests[i]) is { } error)
            {
                return Refuse(protocol, error.Kind, FormattableString.Invariant($"invoice {i}: {error.Message}"));
            }
        }

        var response = new ImportInvoicesResponse();
        foreach (var request in requests)
        {
            var invoice = Store(request);
            response.Ids.Add(invoice.Id);
            response.TotalCents += invoice.TotalCents;
        }

        response.Imported = requests.Count;
        stats.Record(protocol, DomainEvent.InvoicesImported, requests.Count);
        return response;
    }

    /// <summary>Counts a request refused before it reached the domain (a body that is not JSON, a missing version).</summary>
    public DomainError Refuse(ApiProtocol protocol, Failure failure, string message)
    {
        stats.Record(protocol, failure);
        return new DomainError(failure, message);
    }

    private Outcome<T> Get<T>(ConcurrentDictionary<string, Entry<T>> records, string what, string id, ApiProtocol protocol, DomainEvent read)
        where T : class
    {
        if (!records.TryGetValue(id, out var entry))
        {
            return Refuse(protocol, Failure.NotFound, NotFound(what, id));
        }

        stats.Record(protocol, read);
        return entry.Message;
    }

    // Compare-and-swap on the entry read: a concurrent change replaces the entry, the swap fails, and the retry then
    // sees the new version and reports the conflict. A removal between read and swap reads as not found on retry.
    private Outcome<T> Change<T>(
        ConcurrentDictionary<string, Entry<T>> records,
        string what,
        string id,
        long version,
        ApiProtocol protocol,
        DomainEvent changed,
        Func<T, Outcome<T>> change)
        where T : class
    {
        while (true)
        {
            if (!records.TryGetValue(id, out var entry))
            {
                return Refuse(protocol, Failure.NotFound, NotFound(what, id));
            }

            if (entry.Version != version)
            {
                return Refuse(protocol, Failure.Conflict, Stale(what, id, entry.Version, version));
            }

            var outcome = change(entry.Message);
            if (outcome.Error is { } refused)
            {
                return Refuse(protocol, refused.Kind, refused.Message);
            }

            if (records.TryUpdate(id, new Entry<T>(entry.Sequence, version + 1, outcome.Value!), entry))
            {
                stats.Record(protocol, changed);
                return outcome;
            }
        }
    }

    private DomainError? Validate(CreateInvoiceRequest request)
    {
        var invalid = Text("cashierId", request.CashierId) ?? Text("customer", request.Customer) ?? Currency(request.Currency)
            ?? (request.Lines.Count is 0 or > MaxLines ? $"lines must hold 1 to {MaxLines} lines" : null)
            ?? (double.IsFinite(request.TaxRate) && request.TaxRate is >= 0 and <= 1 ? null : "taxRate must be between 0 and 1")
            ?? (request.Attachment.Length > MaxAttachmentBytes ? $"attachment must be at most {MaxAttachmentBytes} bytes" : null);
        for (var i = 0; invalid is null && i < request.Lines.Count; i++)
        {
            var line = request.Lines[i];
            invalid = Text(FormattableString.Invariant($"lines[{i}].description"), line.Description)
                ?? (line.Quantity is < 1 or > MaxQuantity ? FormattableString.Invariant($"lines[{i}].quantity must be between 1 and {MaxQuantity}") : null)
                ?? (line.UnitPriceCents is < 0 or > MaxUnitPriceCents ? FormattableString.Invariant($"lines[{i}].unitPriceCents must be between 0 and {MaxUnitPriceCents}") : null);
        }

        return invalid is not null ? new DomainError(Failure.InvalidArgument, invalid)
            : !_cashiers.ContainsKey(request.CashierId) ? new DomainError(Failure.FailedPrecondition, $"cashier '{request.CashierId}' does not exist")
            : null;
    }

    private Invoice Store(CreateInvoiceRequest request)
    {
        var net = request.Lines.Sum(line => (decimal)line.Quantity * line.UnitPriceCents);
        var sequence = Interlocked.Increment(ref _lastInvoice);
        var invoice = new Invoice
        {
            Id = "invoice-" + sequence.ToString(CultureInfo.InvariantCulture),
            CashierId = request.CashierId,
            Customer = request.Customer,
            Lines = { request.Lines },
            TotalCents = (long)decimal.Round(net * (1 + (decimal)request.TaxRate), MidpointRounding.AwayFromZero),
            Currency = request.Currency.Length == 0 ? DefaultCurrency : request.Currency,
            Status = InvoiceStatus.Open,
            Version = 1,
            TaxRate = request.TaxRate,
            Attachment = request.Attachment,
        };
        _invoices[invoice.Id] = new Entry<Invoice>(sequence, invoice.Version, invoice);
        return invoice;
    }

    private static string? Text(string field, string value) =>
        string.IsNullOrWhiteSpace(value) ? $"{field} must not be empty"
        : value.Length > MaxText ? $"{field} must be at most {MaxText} characters"
        : null;

    private static string? Texts(string field, IEnumerable<string> values) =>
        values.Count() > MaxListItems ? $"{field} must hold at most {MaxListItems} entries"
        : values.Select(value => Text(field, value)).FirstOrDefault(error => error is not null);

    private static string? Email(string value) =>
        Text("email", value) ?? (EmailPattern().IsMatch(value) ? null : $"email '{value}' is not an address like ada@example.com");

    private static string? Role(CashierRole role) =>
        Enum.IsDefined(role) ? null : FormattableString.Invariant($"role {(int)role} is not a CashierRole");

    private static string? Currency(string value) =>
        value.Length == 0 || CurrencyPattern().IsMatch(value) ? null : $"currency '{value}' is not a three-letter code like EUR";

    private static string? Version(long version) =>
        version < 1 ? "version must be the version you read (1 or more)" : null;

    private static string Stale(string what, string id, long current, long sent) =>
        FormattableString.Invariant($"{what} '{id}' is at version {current}, not {sent}: it changed since you read it");

    private static string NotFound(string what, string id) => $"{what} '{id}' not found";

    private static string StatusName(InvoiceStatus status) => status.ToString().ToLowerInvariant();

    [GeneratedRegex(@"^[^@\s]+@[^@\s]+$")]
    private static partial Regex EmailPattern();

    [GeneratedRegex("^[A-Z]{3}$")]
    private static partial Regex CurrencyPattern();

    /// <summary>
    /// An immutable record (its message's version field equals <see cref="Version"/>) and its creation order; compared
    /// by reference, so a swap fails if anyone replaced it since it was read.
    /// </summary>
    private sealed class Entry<T>(long sequence, long version, T message)
    {
        public long Sequence => sequence;

        public long Version => version;

        public T Message => message;
    }
}
