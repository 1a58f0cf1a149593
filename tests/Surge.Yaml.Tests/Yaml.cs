using Surge.Plans;

namespace Surge.Yaml.Tests;

/// <summary>Shorthands for loading YAML text written in a test.</summary>
internal static class Yaml
{
    public const string File = "test.yaml";

    public static TestPlan Load(string yaml, YamlLoadSettings? settings = null) => YamlPlanLoader.Parse(yaml, File, settings);

    public static ScenarioPlan OnlyScenario(string yaml) => Assert.Single(Load(yaml).Scenarios);

    public static T Executor<T>(string yaml) where T : ExecutorPlan => Assert.IsType<T>(OnlyScenario(yaml).Executor);

    public static RequestStep OnlyRequest(string yaml) => Assert.IsType<RequestStep>(Assert.Single(OnlyScenario(yaml).Steps));

    public static PlanException Error(string yaml, YamlLoadSettings? settings = null) =>
        Assert.Throws<PlanException>(() => YamlPlanLoader.Parse(yaml, File, settings));

    /// <summary>Asserts the error points at this line and column of the test file, and returns it.</summary>
    public static PlanException ErrorAt(string yaml, int line, int column)
    {
        var error = Error(yaml);
        Assert.Equal(new SourceLocation(File, line, column), error.Location);
        return error;
    }
}
