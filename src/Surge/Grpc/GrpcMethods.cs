using Google.Protobuf.Reflection;
using Surge.Plans;

namespace Surge.Grpc;

/// <summary>Finds `package.Service/Method` among loaded descriptors, with a suggestion when it is misspelled.</summary>
internal static class GrpcMethods
{
    /// <exception cref="PlanException">The method is not there, or streams (grpc: steps make unary calls).</exception>
    public static MethodDescriptor Find(IEnumerable<FileDescriptor> files, string method, SourceLocation? at, string from)
    {
        var services = files.SelectMany(f => f.Services).ToList();
        var all = services.SelectMany(s => s.Methods.Select(m => $"{s.FullName}/{m.Name}")).ToList();
        var slash = method.IndexOf('/', StringComparison.Ordinal);
        var found = slash > 0 && services.FirstOrDefault(s => s.FullName == method[..slash]) is { } service ? service.FindMethodByName(method[(slash + 1)..]) : null;
        if (found is null)
        {
            if (all.Count == 0)
            {
                throw new PlanException($"method '{method}' is not in {from}, which declares no service", at);
            }
            var hint = slash < 0 ? " (write package.Service/Method)" : "";
            throw new PlanException(Suggest.Unknown("method", method, all, $" in {from}{hint}"), at);
        }
        if (found.IsClientStreaming || found.IsServerStreaming)
        {
            throw new PlanException($"method '{method}' streams ({(found.IsClientStreaming ? "client" : "server")} streaming); grpc: steps make unary calls, use a C# step (ctx.Grpc) for streams", at);
        }
        return found;
    }
}
