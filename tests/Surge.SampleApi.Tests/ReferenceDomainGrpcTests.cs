using System.Net;
using System.Net.Http.Json;
using Grpc.Core;
using Surge.SampleApi.Grpc.Cashiers;
using Surge.SampleApi.Grpc.Invoices;

namespace Surge.SampleApi.Tests;

public sealed class ReferenceDomainGrpcTests
{
    [Fact]
    public async Task Of_twenty_concurrent_grpc_updates_with_the_same_version_exactly_one_succeeds_and_nineteen_are_aborted()
    {
        await using var api = await ReferenceApi.StartAsync();
        const int updaters = 20;
        var cashier = await api.Cashiers.CreateCashierAsync(new CreateCashierRequest { Name = "Ada", Email = "ada@example.com" });

        using var start = new SemaphoreSlim(0);
        var updates = Enumerable.Range(0, updaters).Select(async i =>
        {
            await start.WaitAsync();
            try
            {
                await api.Cashiers.UpdateCashierAsync(new UpdateCashierRequest { Id = cashier.Id, Version = 1, Name = $"writer {i}", Active = true });
                return StatusCode.OK;
            }
            catch (RpcException e)
            {
                return e.StatusCode;
            }
        }).ToList();
        start.Release(updaters);
        var results = await Task.WhenAll(updates);

        Assert.Equal(1, results.Count(s => s == StatusCode.OK));
        Assert.Equal(updaters - 1, results.Count(s => s == StatusCode.Aborted));
        Assert.Equal(2, (await api.Cashiers.GetCashierAsync(new GetCashierRequest { Id = cashier.Id })).Version);
        Assert.Equal((1, updaters - 1), (api.Host.GrpcDomain.CashiersUpdated, api.Host.GrpcDomain.Conflicts));
        Assert.Equal(1, api.Host.Grpc.CallsTo("cashiers.CashierService/UpdateCashier", "OK"));
        Assert.Equal(updaters - 1, api.Host.Grpc.CallsTo("cashiers.CashierService/UpdateCashier", "ABORTED"));
    }

    [Fact]
    public async Task Rest_and_grpc_share_one_store_so_concurrent_updates_over_both_still_leave_one_winner()
    {
        await using var api = await ReferenceApi.StartAsync();
        var cashier = await api.Cashiers.CreateCashierAsync(new CreateCashierRequest { Name = "Ada", Email = "ada@example.com" });

        var overGrpc = Enumerable.Range(0, 10).Select(async _ =>
        {
            try
            {
                await api.Cashiers.UpdateCashierAsync(new UpdateCashierRequest { Id = cashier.Id, Version = 1, Name = "grpc" });
                return true;
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.Aborted)
            {
                return false;
            }
        });
        var overRest = Enumerable.Range(0, 10).Select(async _ =>
            (await ReferenceDomainRestTests.SendAsync(api.Rest, HttpMethod.Put, $"cashiers/{cashier.Id}", """{"version":1,"name":"rest"}""")).Status == HttpStatusCode.OK);
        var results = await Task.WhenAll(overGrpc.Concat(overRest));

        Assert.Single(results, won => won);
        var final = await ReferenceDomainRestTests.SendAsync(api.Rest, HttpMethod.Get, $"cashiers/{cashier.Id}");
        Assert.Equal(2, ReferenceDomainRestTests.Version(final.Body));
        Assert.Equal(1, api.Host.RestDomain.CashiersUpdated + api.Host.GrpcDomain.CashiersUpdated);
        Assert.Equal(19, api.Host.RestDomain.Conflicts + api.Host.GrpcDomain.Conflicts);
    }

    [Fact]
    public async Task Domain_refusals_map_to_not_found_aborted_failed_precondition_and_invalid_argument()
    {
        await using var api = await ReferenceApi.StartAsync();
        var cashier = await api.Cashiers.CreateCashierAsync(new CreateCashierRequest { Name = "Ada", Email = "ada@example.com" });
        var invoice = await api.Invoices.CreateInvoiceAsync(new CreateInvoiceRequest
        {
            CashierId = cashier.Id,
            Customer = "Bob",
            Lines = { new InvoiceLine { Description = "tea", Quantity = 2, UnitPriceCents = 300 } },
        });
        await api.Invoices.CancelInvoiceAsync(new CancelInvoiceRequest { Id = invoice.Id, Version = 1, Reason = "duplicate" });

        var notFound = await StatusOfAsync(() => api.Invoices.GetInvoiceAsync(new GetInvoiceRequest { Id = "invoice-999" }).ResponseAsync);
        var stale = await StatusOfAsync(() => api.Invoices.PayInvoiceAsync(new PayInvoiceRequest { Id = invoice.Id, Version = 1 }).ResponseAsync);
        var cancelled = await StatusOfAsync(() => api.Invoices.PayInvoiceAsync(new PayInvoiceRequest { Id = invoice.Id, Version = 2 }).ResponseAsync);
        var invalid = await StatusOfAsync(() => api.Cashiers.CreateCashierAsync(new CreateCashierRequest { Name = "Ada", Email = "not an address" }).ResponseAsync);

        Assert.Equal((StatusCode.NotFound, "invoice 'invoice-999' not found"), notFound);
        Assert.Equal((StatusCode.Aborted, $"invoice '{invoice.Id}' is at version 2, not 1: it changed since you read it"), stale);
        Assert.Equal((StatusCode.FailedPrecondition, $"invoice '{invoice.Id}' is cancelled and cannot be paid"), cancelled);
        Assert.Equal((StatusCode.InvalidArgument, "email 'not an address' is not an address like ada@example.com"), invalid);
        var counts = api.Host.GrpcDomain;
        Assert.Equal((1, 1, 1, 1, 1), (counts.NotFound, counts.Conflicts, counts.PreconditionFailures, counts.Invalid, counts.InvoicesCancelled));
    }

    [Fact]
    public async Task A_client_stream_of_invoices_is_imported_and_every_message_is_counted_as_received()
    {
        await using var api = await ReferenceApi.StartAsync();
        const int invoices = 25;
        var cashier = await api.Cashiers.CreateCashierAsync(new CreateCashierRequest { Name = "Ada", Email = "ada@example.com" });

        using var call = api.Invoices.ImportInvoices();
        for (var i = 1; i <= invoices; i++)
        {
            await call.RequestStream.WriteAsync(new CreateInvoiceRequest
            {
                CashierId = cashier.Id,
                Customer = $"customer {i}",
                Lines = { new InvoiceLine { Description = "tea", Quantity = i, UnitPriceCents = 100 } },
            });
        }

        await call.RequestStream.CompleteAsync();
        var response = await call;

        // 100 x (1 + 2 + ... + 25) cents.
        Assert.Equal((invoices, 100L * invoices * (invoices + 1) / 2), (response.Imported, response.TotalCents));
        var last = await ReferenceDomainRestTests.SendAsync(api.Rest, HttpMethod.Get, $"invoices/{response.Ids[^1]}");
        Assert.Equal("customer 25", last.Body.GetProperty("customer").GetString());
        var grpc = api.Host.Grpc;
        Assert.Equal((invoices, 0L, 1L), (grpc.MessagesReceived, grpc.MessagesSent, grpc.Streams));
        Assert.Equal(invoices, api.Host.GrpcDomain.InvoicesImported);
    }

    [Fact]
    public async Task A_server_stream_lists_every_cashier_created_over_either_protocol_and_counts_each_message_sent()
    {
        await using var api = await ReferenceApi.StartAsync();
        for (var i = 0; i < 4; i++)
        {
            await api.Cashiers.CreateCashierAsync(new CreateCashierRequest { Name = $"grpc {i}", Email = "a@example.com" });
            await ReferenceDomainRestTests.CreateCashierAsync(api.Rest);
        }

        using var all = api.Cashiers.ListCashiers(new ListCashiersRequest());
        var names = await all.ResponseStream.ReadAllAsync().Select(c => c.Name).ToListAsync();
        using var three = api.Cashiers.ListCashiers(new ListCashiersRequest { Limit = 3 });
        var first = await three.ResponseStream.ReadAllAsync().CountAsync();

        Assert.Equal(["grpc 0", "Ada", "grpc 1", "Ada", "grpc 2", "Ada", "grpc 3", "Ada"], names);
        Assert.Equal(3, first);
        Assert.Equal((11L, 2L), (api.Host.Grpc.MessagesSent, api.Host.Grpc.Streams));
    }

    [Fact]
    public async Task Stats_report_the_grpc_calls_by_method_and_status_that_the_host_properties_show()
    {
        await using var api = await ReferenceApi.StartAsync();
        for (var i = 0; i < 3; i++)
        {
            await api.Cashiers.CreateCashierAsync(new CreateCashierRequest { Name = "Ada", Email = "ada@example.com" });
        }

        await StatusOfAsync(() => api.Cashiers.GetCashierAsync(new GetCashierRequest { Id = "nobody" }).ResponseAsync);

        var stats = await api.Rest.GetFromJsonAsync<JsonElementStats>("stats");
        Assert.Equal(4, stats!.Grpc.Calls);
        Assert.Equal(3, stats.Grpc.ByMethod["cashiers.CashierService/CreateCashier"]["OK"]);
        Assert.Equal(1, stats.Grpc.ByMethod["cashiers.CashierService/GetCashier"]["NOT_FOUND"]);
        Assert.Equal(3, stats.Domain.Grpc.CashiersCreated);
        Assert.Equal(4, stats.Requests);
        Assert.Equal(api.Host.Grpc.Calls, stats.Grpc.Calls);
    }

    internal static async Task<(StatusCode Code, string Detail)> StatusOfAsync<T>(Func<Task<T>> call)
    {
        try
        {
            await call();
            return (StatusCode.OK, "");
        }
        catch (RpcException e)
        {
            return (e.StatusCode, e.Status.Detail);
        }
    }

    private sealed record JsonElementStats(long Requests, Hosting.GrpcCounts Grpc, Domain.DomainStatsView Domain);
}
