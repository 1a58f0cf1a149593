using Grpc.Core;
using Surge.SampleApi.Domain;
using Surge.SampleApi.Grpc.Cashiers;

namespace Surge.SampleApi.Services;

internal sealed class CashierGrpcService(ReferenceDomain domain) : CashierService.CashierServiceBase
{
    public override Task<Cashier> CreateCashier(CreateCashierRequest request, ServerCallContext context) =>
        Task.FromResult(domain.CreateCashier(request, ApiProtocol.Grpc).Unwrap());

    public override Task<Cashier> GetCashier(GetCashierRequest request, ServerCallContext context) =>
        Task.FromResult(domain.GetCashier(request.Id, ApiProtocol.Grpc).Unwrap());

    public override Task<Cashier> UpdateCashier(UpdateCashierRequest request, ServerCallContext context) =>
        Task.FromResult(domain.UpdateCashier(request, ApiProtocol.Grpc).Unwrap());

    public override Task<DeleteCashierResponse> DeleteCashier(DeleteCashierRequest request, ServerCallContext context) =>
        Task.FromResult(domain.DeleteCashier(request.Id, request.Version, ApiProtocol.Grpc).Unwrap());

    public override async Task ListCashiers(ListCashiersRequest request, IServerStreamWriter<Cashier> responseStream, ServerCallContext context)
    {
        foreach (var cashier in domain.ListCashiers(request.Limit, ApiProtocol.Grpc).Unwrap())
        {
            await responseStream.WriteAsync(cashier, context.CancellationToken);
        }
    }
}
