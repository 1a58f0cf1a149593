using System.Globalization;
using Surge.SampleApi.Domain;
using Surge.SampleApi.Grpc.Cashiers;

namespace Surge.SampleApi.Endpoints;

/// <summary>The cashiers of the reference domain over REST, on the store the gRPC CashierService uses.</summary>
internal static class CashierEndpoints
{
    public static void MapCashierEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/cashiers", (HttpRequest request, ReferenceDomain domain, CancellationToken cancellationToken) =>
            ProtoJson.CreateAsync<CreateCashierRequest, Cashier>(request, domain, "/cashiers", domain.CreateCashier, cancellationToken));
        app.MapGet("/cashiers", List);
        app.MapGet("/cashiers/{id}", (string id, ReferenceDomain domain) => ProtoJson.Respond(domain.GetCashier(id, ApiProtocol.Rest)));
        app.MapPut("/cashiers/{id}", UpdateAsync);
        app.MapDelete("/cashiers/{id}", Delete);
    }

    private static IResult List(string? limit, ReferenceDomain domain) =>
        limit is not null && !int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out _)
            ? ProtoJson.Refused(domain.Refuse(ApiProtocol.Rest, Failure.InvalidArgument, $"limit must be a whole number (0 for all), not '{limit}'"))
            : ProtoJson.RespondList(domain.ListCashiers(limit is null ? 0 : int.Parse(limit, CultureInfo.InvariantCulture), ApiProtocol.Rest));

    /// <summary>PUT /cashiers/{id} with { version, name, email, role, active }.</summary>
    private static async Task<IResult> UpdateAsync(string id, HttpRequest request, ReferenceDomain domain, CancellationToken cancellationToken)
    {
        var input = await ProtoJson.ReadForPathAsync<UpdateCashierRequest>(id, request, domain, cancellationToken);
        return input.Error is { } invalid ? ProtoJson.Refused(invalid) : ProtoJson.Respond(domain.UpdateCashier(input.Value!, ApiProtocol.Rest));
    }

    /// <summary>DELETE /cashiers/{id}?version=N: the version read, as for an update.</summary>
    private static IResult Delete(string id, string? version, ReferenceDomain domain) =>
        long.TryParse(version, NumberStyles.None, CultureInfo.InvariantCulture, out var read)
            ? ProtoJson.Respond(domain.DeleteCashier(id, read, ApiProtocol.Rest))
            : ProtoJson.Refused(domain.Refuse(ApiProtocol.Rest, Failure.InvalidArgument,
                $"DELETE needs the version you read, e.g. /cashiers/{id}?version=3" + (version is null ? "" : $", not '{version}'")));
}
