"""graph.check_references: the references of a graph that name no resource, and every
reference cycle, each reported once from its smallest name, along its path. The expected
messages are written out by hand from the graphs drawn in each test."""

from mlinfra_compile.graph import Resource, check_references, ref


def res(name, *targets, depends_on=()):
    """A resource whose one argument refers to each of `targets` (an output each)."""
    args = {"refs": [ref(t, "id") for t in targets]} if targets else {"size": 1}
    options = {"depends_on": list(depends_on)} if depends_on else {}
    return Resource(name, "t:x", args, options, "f.yaml:1:1")


def test_a_graph_without_cycles_or_missing_names_has_no_problem():
    # c --> b --> a, c --> a: a diamond's edge, not a cycle
    assert check_references([res("a"), res("b", "a"), res("c", "b", "a")], {}) == []


def test_a_resource_referring_to_itself_is_a_cycle_of_one():
    assert check_references([res("a", "a")], {}) == ["reference cycle: a --> a"]


def test_names_of_many_characters_are_followed_whole():
    # (one target is kept as the name itself: it must not be read a character at a time)
    problems = check_references([res("jobs", "jobs-dlq"), res("jobs-dlq", "jobs")], {})
    assert problems == ["reference cycle: jobs --> jobs-dlq --> jobs"]


def test_a_cycle_is_reported_once_from_its_smallest_name():
    # b --> c --> a --> b, listed out of order
    problems = check_references([res("c", "a"), res("b", "c"), res("a", "b")], {})
    assert problems == ["reference cycle: a --> b --> c --> a"]


def test_a_cycle_reached_from_outside_it_is_named_from_where_it_closes():
    # a --> b --> c --> b: the search enters at a; the cycle is b, c
    problems = check_references([res("a", "b"), res("b", "c"), res("c", "b")], {})
    assert problems == ["reference cycle: b --> c --> b"]


def test_two_separate_cycles_are_each_reported():
    problems = check_references(
        [res("a", "b"), res("b", "a"), res("x", "y"), res("y", "x"), res("z", "a")], {})
    assert problems == ["reference cycle: a --> b --> a", "reference cycle: x --> y --> x"]


def test_two_cycles_through_one_resource_are_both_reported():
    # a --> b --> a and a --> c --> a: b and c each close a cycle back to a
    problems = check_references([res("a", "b", "c"), res("b", "a"), res("c", "a")], {})
    assert problems == ["reference cycle: a --> b --> a", "reference cycle: a --> c --> a"]


def test_a_resource_searched_once_is_not_searched_again():
    # b and c both lead into the cycle d --> e --> d: it is reported once
    problems = check_references(
        [res("b", "d"), res("c", "d"), res("d", "e"), res("e", "d")], {})
    assert problems == ["reference cycle: d --> e --> d"]


def test_depends_on_is_an_edge_as_a_reference_is():
    problems = check_references([res("a", depends_on=["b"]), res("b", "a")], {})
    assert problems == ["reference cycle: a --> b --> a"]


def test_a_repeated_reference_is_one_edge():
    assert check_references([res("a", "b", "b"), res("b", "a")], {}) == \
        ["reference cycle: a --> b --> a"]


def test_names_that_are_no_resource_are_reported_and_are_no_edge():
    problems = check_references([res("a", "ghost", "b"), res("b", depends_on=["gone"])],
                                {"out": {"host": ref("nowhere", "host")},
                                 "fine": ref("a", "id")})
    assert problems == ["a refers to 'ghost', which is not a resource",
                        "b refers to 'gone', which is not a resource",
                        "an output refers to 'nowhere', which is not a resource"]


def test_a_reference_nested_in_a_mapping_or_list_is_found():
    deep = Resource("a", "t:x", {"policy": {"rules": [{"to": ref("b", "arn")}]}}, {},
                    "f.yaml:1:1")
    assert check_references([deep, res("b", "a")], {}) == ["reference cycle: a --> b --> a"]


def test_of_two_resources_of_one_name_the_last_ones_references_count():
    # (resolve never passes two of one name: check_generated_names reports them first)
    assert check_references([res("a", "b"), res("b", "a"), res("a")], {}) == []
    assert check_references([res("a"), res("b", "a"), res("a", "b")], {}) == \
        ["reference cycle: a --> b --> a"]


# --- against a plain depth-first search with a table of states -------------------------
# The reference below is the textbook search (and mlinfra's before its memory was cut):
# every resource's targets kept as a list, a state per name (1 on the path, 2 done).

def _reference(resources, outputs):
    from mlinfra_compile.graph import iter_refs

    names = {r.name for r in resources}
    problems, edges = [], {}
    for r in resources:
        refs = [t for v in r.args.values() for t, _a in iter_refs(v)]
        refs += r.options.get("depends_on", [])
        deps = []
        for t in refs:
            if t in names:
                deps.append(t)
            else:
                problems.append(f"{r.name} refers to {t!r}, which is not a resource")
        edges[r.name] = sorted(set(deps))
    problems += [f"an output refers to {t!r}, which is not a resource"
                 for t, _a in iter_refs(outputs) if t not in names]
    state: dict[str, int] = {}

    def visit(n, path):
        state[n] = 1
        path.append(n)
        for m in edges.get(n, []):
            if state.get(m) == 1:
                problems.append("reference cycle: " + " --> ".join(path[path.index(m):] + [m]))
            elif m not in state:
                visit(m, path)
        path.pop()
        state[n] = 2

    for n in sorted(n for n, out in edges.items() if out):
        if n not in state:
            visit(n, [])
    return problems


def _random_graph(rng):
    pool = ["ra", "rb", "rc", "rd", "re", "rf", "rg"]  # (more than one character each)
    names = [rng.choice(pool) for _ in range(rng.randint(0, 7))]  # (names may repeat)

    def value(depth):
        k = rng.random()
        if depth > 2 or k < 0.3:
            return rng.choice([1, "x", None, True])
        if k < 0.65:
            return ref(rng.choice((names or ["ra"]) + ["missing"]), "id")
        if k < 0.8:
            return [value(depth + 1) for _ in range(rng.randint(0, 3))]
        return {f"k{i}": value(depth + 1) for i in range(rng.randint(0, 3))}

    resources = []
    for name in names:
        args = {f"a{i}": value(0) for i in range(rng.randint(0, 3))}
        options = {"depends_on": [rng.choice(pool + ["nope"]) for _ in range(2)]} \
            if rng.random() < 0.3 else {}
        resources.append(Resource(name, "t:x", args, options, "f.yaml:1:1"))
    return resources, {f"o{i}": value(1) for i in range(rng.randint(0, 2))}


def test_random_graphs_get_the_problems_a_plain_search_finds():
    import random

    seed = 20261207
    rng = random.Random(seed)
    cycles = 0
    for i in range(3000):
        resources, outputs = _random_graph(rng)
        expected = _reference(resources, outputs)
        assert check_references(resources, outputs) == expected, (seed, i)
        cycles += any("cycle" in p for p in expected)
    assert cycles > 500  # (the graphs do exercise the search)
