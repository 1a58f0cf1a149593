namespace Surge.Cli.Tests;

/// <summary>
/// The generator watching itself, end to end: a test whose own code keeps one core busy makes the summary and the
/// findings say that the generator was the bottleneck, and a threshold on surge_generator_cpu fails the run; a quiet
/// run claims nothing.
/// </summary>
public sealed class GeneratorHealthTests
{
    [Fact]
    public async Task A_cpu_heavy_step_on_one_core_is_called_the_bottleneck_and_fails_a_threshold_on_generator_cpu_with_exit_99()
    {
        // Four VUs each spin 50 ms per iteration in their own code: far more than the one core can give.
        var file = SurgeProcess.WriteTestFile("""
            using System.Diagnostics;

            public static class Burn
            {
                public static TestPlan Plan() => Load.Plan()
                    .Scenario("burn", s => s
                        .ConstantVus(4, TimeSpan.FromSeconds(6))
                        .Run(Spin))
                    .Threshold("surge_generator_cpu", "max<0.9")
                    .Build();

                private static Task Spin(VuContext ctx)
                {
                    var started = Stopwatch.GetTimestamp();
                    var x = 0.0;
                    while (Stopwatch.GetElapsedTime(started).TotalMilliseconds < 50)
                    {
                        x += Math.Sqrt(x + 1);
                    }
                    GC.KeepAlive(x);
                    return Task.CompletedTask;
                }
            }
            """, ".cs");
        var findings = Path.Combine(Path.GetTempPath(), $"surge-findings-{Guid.NewGuid():N}.md");

        var run = await SurgeProcess.RunOnOneCoreAsync("run", file, "--quiet", "--findings", findings);

        Assert.True(run.ExitCode == 99, $"exit {run.ExitCode}\n{run.Stdout}\n{run.Stderr}");
        Assert.Contains("✗ 'max<0.9'", run.Stdout, StringComparison.Ordinal);
        // The summary wraps long warnings; read it as one line.
        var summary = System.Text.RegularExpressions.Regex.Replace(run.Stdout, @"\s+", " ");
        Assert.Contains("the generator was the bottleneck from 0:0", summary, StringComparison.Ordinal);
        Assert.Contains("describe Surge, not the server", summary, StringComparison.Ordinal);
        var markdown = await File.ReadAllTextAsync(findings);
        Assert.Contains("The generator was the bottleneck from 0:0", markdown, StringComparison.Ordinal);
        Assert.Contains("Give the generator room", markdown, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_quiet_run_shows_the_generators_health_and_claims_no_saturation()
    {
        var file = SurgeProcess.WriteTestFile("""
            scenarios:
              idle:
                executor: constant-vus
                vus: 1
                duration: 4s
                requests:
                  - think: 200ms
            """);
        var findings = Path.Combine(Path.GetTempPath(), $"surge-findings-{Guid.NewGuid():N}.md");

        var run = await SurgeProcess.RunAsync("run", file, "--quiet", "--findings", findings);

        Assert.True(run.ExitCode == 0, $"exit {run.ExitCode}\n{run.Stdout}\n{run.Stderr}");
        Assert.Contains("█ GENERATOR", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("surge_generator_cpu", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("surge_scheduler_lag", run.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("bottleneck", run.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("bottleneck", await File.ReadAllTextAsync(findings), StringComparison.Ordinal);
    }
}
