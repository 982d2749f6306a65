using Recipes.Deployment;
using Recipes.Tests.Support;

namespace Recipes.Tests.Deployment;

public sealed class EnvironmentsFileTests
{
    private const string File = "environments.yml";

    private const string Example = """
        environments:
          - name: dev
            target: local
            artifact: Acme.Shop.Api
            port: 5080
            strategy: { kind: blue-green, grace-period: 2m }
            health: { path: /health, timeout: 500ms, expected-status: 204 }
            smoke: [ { path: /version, expected-status: 200 }, { path: /ping } ]
            approval: false
            features: { LoudGreeting: false, Search: true, NewCheckout: { percentage: 10 } }
            config: { Shop__Currency: EUR, Shop__Retries: 3 }
            secrets: { Shop__ApiKey: { from-env: SHOP_API_KEY } }
          - name: staging
            artifact: Acme.Shop.Api
            port: 5081
            strategy: { kind: canary, steps: [10, 50, 100], pause: 30s, max-error-rate: 0.05, max-p95-ratio: 1.5 }
          - name: production
            artifact: Acme.Shop.Api
            port: 5082
            approval: true
            strategy: { kind: dark-launch, duration: 10m, percentage: 25 }
        """;

    private static EnvironmentsFileException Fails(string yaml) =>
        Should.Throw<EnvironmentsFileException>(() => EnvironmentsFile.Parse(File, yaml));

    private static string Single(string environmentBody) =>
        "environments:\n  - name: dev\n    artifact: Acme.Shop.Api\n    port: 5080\n" + environmentBody;

    [Fact]
    public void The_example_reads_into_typed_environments_in_promotion_order()
    {
        var definition = EnvironmentsFile.Parse(File, Example);

        definition.Environments.Select(e => e.Name).ShouldBe(["dev", "staging", "production"]);
        var dev = definition.Get("dev");
        dev.Target.ShouldBe("local");
        dev.Artifact.ShouldBe("Acme.Shop.Api");
        dev.Port.ShouldBe(5080);
        dev.Line.ShouldBe(2);
        dev.Strategy.ShouldBe(new BlueGreenStrategy(TimeSpan.FromMinutes(2)));
        dev.Health.ShouldBe(new HealthCheck("/health", TimeSpan.FromMilliseconds(500), 204));
        dev.Smoke.ShouldBe([new SmokeCheck("/version", 200), new SmokeCheck("/ping", 200)]);
        dev.Approval.ShouldBeFalse();
        dev.Features["LoudGreeting"].ShouldBe(new FeatureToggle(false));
        dev.Features["Search"].ShouldBe(new FeatureToggle(true));
        dev.Features["NewCheckout"].ShouldBe(new FeatureToggle(true, 10));
        dev.Config["Shop__Currency"].ShouldBe("EUR");
        dev.Config["Shop__Retries"].ShouldBe("3");
        dev.Secrets["Shop__ApiKey"].ShouldBe(new SecretReference("SHOP_API_KEY"));

        var canary = definition.Get("staging").Strategy.ShouldBeOfType<CanaryStrategy>();
        canary.Steps.ShouldBe([10, 50, 100]);
        canary.Pause.ShouldBe(TimeSpan.FromSeconds(30));
        canary.MaxErrorRate.ShouldBe(0.05);
        canary.MaxP95Ratio.ShouldBe(1.5);
        definition.Get("production").Strategy.ShouldBe(new DarkLaunchStrategy(TimeSpan.FromMinutes(10), 25, DarkLaunchStrategy.DefaultMaxErrorRate));
        definition.Get("production").Approval.ShouldBeTrue();
    }

    [Fact]
    public void Omitted_fields_take_their_defaults()
    {
        var dev = EnvironmentsFile.Parse(File, Single("")).Get("dev");

        dev.Target.ShouldBe(DeploymentEnvironment.LocalTarget);
        dev.Strategy.ShouldBeOfType<InPlaceStrategy>();
        dev.Health.ShouldBe(HealthCheck.Default);
        dev.Smoke.ShouldBeEmpty();
        dev.Approval.ShouldBeFalse();
        dev.Features.ShouldBeEmpty();
        dev.Config.ShouldBeEmpty();
        dev.Secrets.ShouldBeEmpty();
        EnvironmentsFile.Parse(File, Single("    strategy: { kind: canary }\n")).Get("dev").Strategy
            .ShouldBe(new CanaryStrategy(CanaryStrategy.DefaultSteps, CanaryStrategy.DefaultPause, CanaryStrategy.DefaultMaxErrorRate, CanaryStrategy.DefaultMaxP95Ratio));
        EnvironmentsFile.Parse(File, Single("    strategy: { kind: blue-green }\n")).Get("dev").Strategy
            .ShouldBe(new BlueGreenStrategy(TimeSpan.FromSeconds(30)));
        // No grace period: the old slot stops as soon as the switch is done.
        EnvironmentsFile.Parse(File, Single("    strategy: { kind: blue-green, grace-period: 0s }\n")).Get("dev").Strategy
            .ShouldBe(new BlueGreenStrategy(TimeSpan.Zero));
    }

    [Fact]
    public void A_blue_green_slow_start_is_read_and_one_longer_than_two_minutes_is_refused()
    {
        EnvironmentsFile.Parse(File, Single("    strategy: { kind: blue-green, grace-period: 0s, slow-start: 4s }\n")).Get("dev").Strategy
            .ShouldBe(new BlueGreenStrategy(TimeSpan.Zero) { SlowStart = TimeSpan.FromSeconds(4) });
        EnvironmentsFile.Parse(File, Single("    strategy: { kind: blue-green }\n")).Get("dev").Strategy
            .ShouldBeOfType<BlueGreenStrategy>().SlowStart.ShouldBe(TimeSpan.Zero);

        var tooLong = Fails(Single("    strategy: { kind: blue-green, slow-start: 5m }\n"));

        tooLong.Message.ShouldBe("environments.yml:5: 'strategy.slow-start' is 300 s, longer than 120 s; a few seconds let a new release warm up, and a longer gradual move wants a canary, which checks each step.");
        tooLong.Field.ShouldBe("strategy.slow-start");
        Fails(Single("    strategy: { kind: blue-green, slow-start: fast }\n")).Message.ShouldContain("'strategy.slow-start' is 'fast', which is not a duration");
    }

    [Fact]
    public void Next_gives_the_environment_after_another_and_null_after_the_last()
    {
        var definition = EnvironmentsFile.Parse(File, Example);

        definition.Next("dev")!.Name.ShouldBe("staging");
        definition.Next("staging")!.Name.ShouldBe("production");
        definition.Next("production").ShouldBeNull();
        Should.Throw<RecipeException>(() => definition.Next("qa")).Message
            .ShouldBe("There is no environment 'qa' in environments.yml; use one of dev, staging, production.");
    }

    [Fact]
    public void A_misspelt_strategy_kind_names_file_line_field_and_the_kinds()
    {
        var error = Fails(Single("    approval: false\n    strategy: { kind: blue-grene }\n"));

        error.Message.ShouldBe("environments.yml:6: 'strategy.kind' is 'blue-grene'; use in-place, blue-green, canary, dark-launch or rolling (target hosts).");
        error.Line.ShouldBe(6);
        error.Field.ShouldBe("strategy.kind");
    }

    [Theory]
    [InlineData("    aproval: true\n", 5, "aproval", "unknown key 'aproval'. Did you mean 'approval'?")]
    [InlineData("    strategy: { kind: blue-green, grace-perod: 30s }\n", 5, "strategy.grace-perod", "unknown key 'strategy.grace-perod'. Did you mean 'strategy.grace-period'?")]
    [InlineData("    health:\n      path: /health\n      timout: 3s\n", 7, "health.timout", "Did you mean 'health.timeout'?")]
    public void An_unknown_key_is_refused_with_the_closest_known_one(string body, int line, string field, string expected)
    {
        var error = Fails(Single(body));

        error.Line.ShouldBe(line);
        error.Field.ShouldBe(field);
        error.Message.ShouldContain(expected);
    }

    [Fact]
    public void An_unknown_key_suggests_within_the_strategy_kind()
    {
        Fails(Single("    strategy: { kind: canary, step: [10, 100] }\n")).Message.ShouldContain("Did you mean 'strategy.steps'?");
        Fails(Single("    strategy: { kind: blue-green, steps: [10, 100] }\n")).Message.ShouldContain("unknown key 'strategy.steps'");
    }

    [Theory]
    [InlineData("environments:\n  - artifact: A\n    port: 5080\n", 2, "name", "'name' is missing")]
    [InlineData("environments:\n  - name: dev\n    port: 5080\n", 2, "artifact", "'artifact' is missing")]
    [InlineData("environments:\n  - name: dev\n    artifact: A\n", 2, "port", "'port' is missing")]
    [InlineData("environments:\n  - name: dev\n    artifact: A\n    port:\n", 2, "port", "'port' is missing")]
    public void A_missing_required_field_is_named(string yaml, int line, string field, string expected)
    {
        var error = Fails(yaml);

        error.Line.ShouldBe(line);
        error.Field.ShouldBe(field);
        error.Message.ShouldStartWith($"environments.yml:{line}: {expected}");
    }

    [Fact]
    public void Duplicate_environment_names_are_refused_with_both_lines()
    {
        var error = Fails(Single("  - name: dev\n    artifact: B\n    port: 5081\n"));

        error.Message.ShouldBe("environments.yml:5: environment 'dev' is defined twice (first at line 2); give each environment its own name.");
    }

    [Theory]
    [InlineData("0")]
    [InlineData("65536")]
    [InlineData("http")]
    public void A_port_out_of_range_is_refused(string port)
    {
        var error = Fails($"environments:\n  - name: dev\n    artifact: A\n    port: {port}\n");

        error.Message.ShouldBe($"environments.yml:4: 'port' is '{port}'; use a whole number from 1 to 65535.");
    }

    [Fact]
    public void Two_environments_on_one_port_are_refused()
    {
        var error = Fails(Single("  - name: staging\n    artifact: A\n    port: 5080\n"));

        error.Field.ShouldBe("port");
        error.Message.ShouldBe("environments.yml:5: 'port' 5080 of 'staging' is already the port of 'dev' (line 2); give each environment its own port.");
    }

    [Theory]
    [InlineData("    strategy: { kind: blue-green, grace-period: 30 }\n", "'strategy.grace-period' is '30', which is not a duration")]
    [InlineData("    strategy: { kind: canary, pause: 2 minutes }\n", "'strategy.pause' is '2 minutes', which is not a positive duration")]
    [InlineData("    health: { timeout: 1.5s }\n", "'health.timeout' is '1.5s', which is not a positive duration")]
    [InlineData("    health: { timeout: 0s }\n", "'health.timeout' is '0s', which is not a positive duration")]
    public void A_bad_duration_is_refused_with_examples(string body, string expected)
    {
        var error = Fails(Single(body));

        error.Line.ShouldBe(5);
        error.Message.ShouldContain(expected);
        error.Message.ShouldEndWith("use a whole number with a unit, such as 500ms, 30s, 2m or 1h.");
    }

    [Theory]
    [InlineData("[10, 10, 100]", "goes from 10 to 10; the steps must increase")]
    [InlineData("[50, 10, 100]", "goes from 50 to 10; the steps must increase")]
    [InlineData("[10, 50]", "ends at 50; the last step must be 100")]
    [InlineData("[10, 150]", "has '150'; each step is a percentage of traffic from 1 to 100")]
    [InlineData("[0, 100]", "has '0'")]
    [InlineData("[]", "must be a list of percentages")]
    public void Canary_steps_must_increase_and_end_at_100(string steps, string expected)
    {
        var error = Fails(Single($"    strategy: {{ kind: canary, steps: {steps} }}\n"));

        error.Field.ShouldBe("strategy.steps");
        error.Message.ShouldContain(expected);
    }

    [Theory]
    [InlineData("    features: { NewCheckout: { percentage: 101 } }\n", "'features.NewCheckout.percentage' is '101'; use a whole number from 0 to 100.")]
    [InlineData("    features: { NewCheckout: { percentage: -1 } }\n", "'features.NewCheckout.percentage' is '-1'")]
    [InlineData("    strategy: { kind: dark-launch, percentage: 200 }\n", "'strategy.percentage' is '200'")]
    [InlineData("    strategy: { kind: canary, max-error-rate: 5 }\n", "'strategy.max-error-rate' is '5'; use a number from 0 to 1.")]
    [InlineData("    features: { NewCheckout: maybe }\n", "'features.NewCheckout' is 'maybe'; use true or false.")]
    public void Percentages_and_rates_outside_their_range_are_refused(string body, string expected) =>
        Fails(Single(body)).Message.ShouldContain(expected);

    [Fact]
    public void A_secret_with_a_literal_value_is_refused_without_repeating_the_value()
    {
        var error = Fails(Single("    secrets: { Shop__ApiKey: sk-live-123456 }\n"));

        error.Field.ShouldBe("secrets.Shop__ApiKey");
        error.Message.ShouldStartWith("environments.yml:5: 'secrets.Shop__ApiKey' must reference an environment variable, never hold the secret itself");
        error.Message.ShouldNotContain("sk-live-123456");
    }

    [Fact]
    public void A_secret_reference_must_name_a_variable()
    {
        Fails(Single("    secrets: { Shop__ApiKey: { from-env: 'not a name' } }\n")).Message
            .ShouldContain("'secrets.Shop__ApiKey.from-env' is not an environment variable name");
        Fails(Single("    secrets: { Shop__ApiKey: { value: x } }\n")).Message.ShouldContain("unknown key 'secrets.Shop__ApiKey.value'");
    }

    [Theory]
    [InlineData("environments:\n  - name: dev\n    artifact: Acme.Shop.Api\n\tport: 5080\n", 4, "port")]
    [InlineData("environments:\n  - name: dev\n    artifact: Acme.Shop.Api\n    port: 5080\n    strategy:\n  \tkind: blue-green\n", 6, "kind")]
    [InlineData("environments:\n\t- name: dev\n", 2, "name")]
    public void A_tab_is_reported_at_its_own_line_with_its_field_and_the_advice_to_use_spaces(string yaml, int line, string field)
    {
        var error = Fails(yaml);

        error.Line.ShouldBe(line);
        error.Field.ShouldBe(field);
        error.Message.ShouldBe($"environments.yml:{line}: '{field}' is indented with a tab; YAML takes spaces only: replace the tab with spaces.");
    }

    [Theory]
    [InlineData("environments:\n  - name: dev\n    port: [5080\n", 4)]
    [InlineData("environments:\n  - name: dev\n   port: 5080\n", 3)]
    [InlineData("environments:\n  - name: dev\n    name: qa\n", 3)]
    public void Malformed_yaml_is_reported_at_the_parser_line(string yaml, int line)
    {
        var error = Fails(yaml);

        error.Line.ShouldBe(line);
        error.Message.ShouldStartWith($"environments.yml:{line}: not valid YAML: ");
        error.Message.ShouldNotContain("(Line:");
    }

    [Theory]
    [InlineData("")]
    [InlineData("environments: []\n")]
    [InlineData("environments:\n")]
    [InlineData("- name: dev\n")]
    [InlineData("envs: []\n")]
    public void A_file_without_environments_is_refused(string yaml) => Fails(yaml).Line.ShouldBe(1);

    [Theory]
    [InlineData("- name: dev\n", "environments.yml:1: the file must start with 'environments:'")]
    [InlineData("environments:\n  - dev\n", "environments.yml:2: each environment must be a mapping of its fields")]
    [InlineData("environments:\n  - name: dev\n    artifact: A\n    port: 1\n    strategy: blue-green\n", "environments.yml:5: 'strategy' must be a mapping with a kind, such as { kind: blue-green, grace-period: 30s }")]
    [InlineData("environments:\n  - name: dev\n    artifact: A\n    port: 1\n    strategy: { pause: 3s }\n", "environments.yml:5: 'strategy.kind' is missing; use in-place, blue-green, canary, dark-launch or rolling (target hosts).")]
    public void A_wrongly_shaped_entry_says_what_shape_to_use(string yaml, string expected) =>
        Fails(yaml).Message.ShouldStartWith(expected);

    [Fact]
    public void An_unknown_target_is_named_with_the_registered_ones()
    {
        Fails(Single("    target: kubernetes\n")).Message.ShouldBe($"environments.yml:5: target: 'kubernetes' is not a deployment target; known: {DeploymentTargets.Builtin.Known}");
    }

    [Fact]
    public void Load_reads_a_file_and_names_a_missing_one()
    {
        using var temp = new TempDirectory("recipes-environments");
        var path = temp.Combine("environments.yml");
        Should.Throw<EnvironmentsFileException>(() => EnvironmentsFile.Load(path)).Message.ShouldStartWith($"{path}:1: the environments file does not exist");

        System.IO.File.WriteAllText(path, Example);
        EnvironmentsFile.Load(path).Environments.Count.ShouldBe(3);
        EnvironmentsFile.Load(path).File.ShouldBe(path);
    }
}
