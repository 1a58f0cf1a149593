using Surge.Data;
using Surge.Plans;

namespace Surge.Yaml.Tests;

public sealed class DataTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("surge-data-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private TestPlan LoadWithUsers(string dataOptions, string scenarioData = "users")
    {
        File.WriteAllText(Path.Combine(_folder, "users.csv"), "email,password\nada@example.com,secret\nbob@example.com,hunter2\n");
        var test = Path.Combine(_folder, "test.yaml");
        File.WriteAllText(test, $$$"""
            options:
              baseUrl: http://127.0.0.1:5000
            data:
              users: { file: users.csv{{{dataOptions}}} }
            scenarios:
              login:
                executor: shared-iterations
                data: {{{scenarioData}}}
                requests:
                  - post: /login
                    json: { username: "{{ users.email }}", password: "{{ password }}" }
            """);
        return YamlPlanLoader.Load(test);
    }

    [Fact]
    public void A_data_file_next_to_the_test_is_loaded_once_for_its_scenario()
    {
        var data = LoadWithUsers(", mode: circular, whenExhausted: recycle").Scenarios[0].Data!;
        Assert.Equal("users", data.Name);
        Assert.Equal(["email", "password"], data.Table.Fields);
        Assert.Equal(2, data.Table.RowCount);
        Assert.Equal(FeederMode.Circular, data.Mode);
        Assert.Equal(OutOfDataPolicy.Recycle, data.WhenOutOfData);
    }

    [Fact]
    public void Data_is_taken_in_order_once_unless_the_file_says_otherwise()
    {
        var data = LoadWithUsers("").Scenarios[0].Data!;
        Assert.Equal(FeederMode.Sequential, data.Mode);
        Assert.Equal(OutOfDataPolicy.Stop, data.WhenOutOfData);
    }

    [Fact]
    public void An_unknown_data_source_gets_a_suggestion_at_its_use()
    {
        var error = Assert.Throws<PlanException>(() => LoadWithUsers("", "user"));
        Assert.Contains("unknown data source 'user'; did you mean 'users'?", error.Message, StringComparison.Ordinal);
        Assert.Equal(8, error.Location!.Line);
    }

    [Fact]
    public void A_missing_data_file_is_an_error_at_its_name_in_the_test()
    {
        var test = Path.Combine(_folder, "test.yaml");
        File.WriteAllText(test, "data:\n  users: { file: nowhere.csv }\nrequests:\n  - { url: 'http://127.0.0.1/' }\n");
        var error = Assert.Throws<PlanException>(() => YamlPlanLoader.Load(test));
        Assert.Contains("nowhere.csv", error.Message, StringComparison.Ordinal);
        Assert.Equal(2, error.Location!.Line);
    }
}
