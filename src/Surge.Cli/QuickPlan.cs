using Surge.Plans;

namespace Surge.Cli;

/// <summary>`surge run URL`: one GET against one URL, like hey or ab, without a file.</summary>
public static class QuickPlan
{
    public static bool IsUrl(string target) =>
        target.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || target.StartsWith("https://", StringComparison.OrdinalIgnoreCase);

    public static TestPlan For(string url, string method)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            throw new PlanException($"'{url}' is not an http(s) URL");
        }
        return new TestPlan
        {
            Source = url,
            Scenarios =
            [
                new ScenarioPlan
                {
                    Name = "default",
                    Executor = new ConstantVusExecutor(1, TimeSpan.FromSeconds(10)),
                    Steps = [new RequestStep { Method = method, Url = uri.ToString(), Name = uri.AbsolutePath }],
                },
            ],
        };
    }
}
