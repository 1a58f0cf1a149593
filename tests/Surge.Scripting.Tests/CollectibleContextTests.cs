using System.Runtime.CompilerServices;
using Surge.Scripting;

namespace Surge.Scripting.Tests;

public sealed class CollectibleContextTests
{
    [Fact]
    public async Task The_same_file_compiles_twice_into_independent_assemblies()
    {
        using var first = TestFileCompiler.Compile(CheckoutTestFile.Source, CheckoutTestFile.FileName);
        using var second = TestFileCompiler.Compile(CheckoutTestFile.Source, CheckoutTestFile.FileName);

        Assert.NotSame(first.Assembly, second.Assembly);
        Assert.Equal("browse", (await first.CreatePlanAsync()).Scenarios[0].Name);
        Assert.Equal("browse", (await second.CreatePlanAsync()).Scenarios[0].Name);
    }

    [Fact]
    public void A_disposed_file_is_unloaded_once_nothing_references_it()
    {
        var context = CompileRunAndDispose();

        for (var attempt = 0; attempt < 20 && context.IsAlive; attempt++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }

        Assert.False(context.IsAlive);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static WeakReference CompileRunAndDispose()
    {
        var compiled = TestFileCompiler.Compile(CheckoutTestFile.Source, "unloaded.cs");
        var plan = compiled.CreatePlanAsync().GetAwaiter().GetResult();
        Assert.Equal("browse", plan.Scenarios[0].Name);
        var context = new WeakReference(System.Runtime.Loader.AssemblyLoadContext.GetLoadContext(compiled.Assembly));
        compiled.Dispose();
        return context;
    }
}
