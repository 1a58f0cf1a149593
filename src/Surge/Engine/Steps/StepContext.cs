using Surge.Metrics;
using Surge.Plans;
using Surge.Templating;

namespace Surge.Engine.Steps;

/// <summary>What compiling a step needs: its scenario, the tags it records under (groups add theirs) and the environment.</summary>
internal sealed record StepContext(ScenarioRuntime Scenario, TagSet Tags, IReadOnlyDictionary<string, string> Environment)
{
    /// <summary>Compiles a `{{ }}` template; a syntax error is a plan error at the step.</summary>
    public Template Template(string text, SourceLocation? at)
    {
        try
        {
            return Templating.Template.Parse(text, at, Environment);
        }
        catch (TemplateSyntaxException error)
        {
            throw new PlanException(error.Message, at);
        }
    }
}
