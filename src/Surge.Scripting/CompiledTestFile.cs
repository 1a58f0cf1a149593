using System.Diagnostics;
using System.Reflection;
using Surge.Plans;

namespace Surge.Scripting;

/// <summary>
/// A test file compiled and loaded into its own collectible context. <see cref="Dispose"/> unloads it once nothing
/// from it (plans holding its delegates, for instance) is still referenced.
/// </summary>
public sealed class CompiledTestFile : IDisposable
{
    private readonly ScriptLoadContext _context;
    private readonly Func<TestPlan>? _plan;
    private readonly Func<Task<TestPlan>>? _planAsync;

    private CompiledTestFile(string fileName, ScriptLoadContext context, Assembly assembly, MethodInfo entry, EntryPoint entryPoint)
    {
        FileName = fileName;
        _context = context;
        Assembly = assembly;
        EntryPointLocation = entryPoint.Location;
        if (entryPoint.ReturnsTask)
        {
            _planAsync = entry.CreateDelegate<Func<Task<TestPlan>>>();
        }
        else
        {
            _plan = entry.CreateDelegate<Func<TestPlan>>();
        }
    }

    /// <summary>The file as named to the compiler; it is what errors and stack traces show.</summary>
    public string FileName { get; }

    /// <summary>The compiled test file, for hosts that look up more than the entry point in it.</summary>
    public Assembly Assembly { get; }

    /// <summary>Where the <c>Plan</c> method is declared.</summary>
    public SourceLocation EntryPointLocation { get; }

    internal static CompiledTestFile Load(string fileName, Stream image, EntryPoint entryPoint)
    {
        var context = new ScriptLoadContext($"surge-script:{fileName}");
        var assembly = context.LoadFromStream(image);
        var entry = assembly.GetType(entryPoint.TypeName, throwOnError: true)!
            .GetMethod(EntryPointFinder.MethodName, BindingFlags.Public | BindingFlags.Static, Type.EmptyTypes)!;
        return new CompiledTestFile(fileName, context, assembly, entry, entryPoint);
    }

    /// <summary>
    /// Runs the file's <c>Plan()</c>. What it throws becomes a <see cref="TestScriptException"/>, except the plan
    /// builder's own <see cref="PlanException"/>s, which pass through; a null plan is a <see cref="PlanException"/>. A plan that does not name its source is given this file's name.
    /// </summary>
    public async Task<TestPlan> CreatePlanAsync(CancellationToken cancellationToken = default)
    {
        TestPlan? plan;
        try
        {
            if (_plan is not null)
            {
                plan = _plan();
            }
            else
            {
                var pending = _planAsync!();
                plan = pending is null ? null : await pending.WaitAsync(cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (PlanException)
        {
            // The builder's own errors name the line in this file that made the mistake: an invalid test, not a crash.
            throw;
        }
        catch (Exception e)
        {
            throw new TestScriptException($"{EntryPointFinder.MethodName}() threw {e.GetType().Name}: {e.Message}", e, InnermostScriptFrame(e));
        }

        if (plan is null)
        {
            throw new PlanException($"{EntryPointFinder.MethodName}() returned no plan", EntryPointLocation);
        }
        return plan.Source == TestPlan.CodeSource ? plan with { Source = FileName } : plan;
    }

    /// <summary>Starts unloading the compiled file; it is gone once no plan or delegate from it is referenced.</summary>
    public void Dispose() => _context.Unload();

    private SourceLocation? InnermostScriptFrame(Exception exception)
    {
        foreach (var frame in new StackTrace(exception, fNeedFileInfo: true).GetFrames())
        {
            if (frame.GetMethod()?.Module.Assembly == Assembly && frame.GetFileName() is { } file && frame.GetFileLineNumber() > 0)
            {
                return new SourceLocation(file, frame.GetFileLineNumber(), Math.Max(1, frame.GetFileColumnNumber()));
            }
        }
        return null;
    }
}
