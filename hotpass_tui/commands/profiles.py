"""`hotpass profiles list|show|lint`."""

from __future__ import annotations

import argparse
from pathlib import Path

from hotpass_tui.commands.base import CommandContext


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("profiles", help="list, show and lint profiles")
    parser.add_argument("--profile-search-path", type=Path, action="append", default=[], metavar="DIR")
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    actions.add_parser("list", help="profiles on the search path").set_defaults(handler=run_list)
    show = actions.add_parser("show", help="a profile as loaded, after `extends` (and a case's overlay)")
    show.add_argument("name", nargs="?", default="generic")
    show.add_argument("--case", dest="case_id", help="extend it by data/<case>/hotpass.yaml, as refine does")
    show.set_defaults(handler=run_show)
    suggest = actions.add_parser("suggest", help="the case overlay Hotpass would infer for a folder, to review")
    suggest.add_argument("--input-dir", type=Path, required=True, help="the folder of workbooks")
    suggest.add_argument("--profile", default="generic", help="the profile it extends (default: generic)")
    suggest.set_defaults(handler=run_suggest)
    actions.add_parser("lint", help="validate every profile and data/*/hotpass.yaml; exit 6 if any is bad"
                       ).set_defaults(handler=run_lint)


def run_list(args: argparse.Namespace, ctx: CommandContext) -> int:
    from core.profiles import list_profiles
    from hotpass_tui.text_blocks import print_table

    # The file is a path an operator copies: whole, or the table becomes one block per profile.
    print_table(ctx.console, ("profile", "description", "file"),
                [(info.name, info.description, str(info.path)) for info in list_profiles(args.profile_search_path)],
                whole={"profile", "file"})
    return 0


def run_show(args: argparse.Namespace, ctx: CommandContext) -> int:
    import yaml
    from rich.syntax import Syntax

    from core.profiles import load_profile

    if args.case_id:
        from core.case_overlay import load_case_profile

        case = ctx.workspace.case(args.case_id)
        loaded = load_case_profile(args.name, args.profile_search_path, case.input_dir)
        profile = loaded.profile
        ctx.console.print(f"# {args.name} extended by {loaded.overlay_path}" if loaded.overlay_path
                          else f"# {args.name}: case {args.case_id} has no overlay ({case.input_dir / 'hotpass.yaml'})",
                          markup=False, soft_wrap=True)
    else:
        profile = load_profile(args.name, args.profile_search_path)
    text = yaml.safe_dump(profile.model_dump(mode="json"), sort_keys=False, allow_unicode=True)
    ctx.console.print(Syntax(text, "yaml", background_color="default"))
    return 0


def run_lint(args: argparse.Namespace, ctx: CommandContext) -> int:
    from core.case_overlay import lint_overlays
    from core.errors import ExitCode
    from core.profiles import lint_profiles, list_profiles

    problems = lint_profiles(args.profile_search_path)
    overlays, overlay_problems = lint_overlays(ctx.workspace.data_dir, search_path=args.profile_search_path)
    problems += overlay_problems
    for problem in problems:
        ctx.console.print(f"[red]✗[/] {problem.one_line()}", soft_wrap=True)
        for detail in problem.details[1:6]:
            ctx.console.print(f"    {detail}", markup=False)
    checked = len(list_profiles(args.profile_search_path))
    bad_profiles = len(problems) - len(overlay_problems)
    ctx.console.print(f"{checked - bad_profiles} of {checked} profiles valid")
    if overlays:
        ctx.console.print(f"{overlays - len(overlay_problems)} of {overlays} case overlays valid")
    return int(ExitCode.BAD_PROFILE) if problems else 0


def run_suggest(args: argparse.Namespace, ctx: CommandContext) -> int:
    """The overlay on stdout (what it could not decide as YAML comments), so `> data/<case>/hotpass.yaml` works."""
    from core.profiles import load_profile
    from core.profiles_suggest import suggest_overlay, suggestion_yaml

    suggestion = suggest_overlay(args.input_dir, load_profile(args.profile, args.profile_search_path))
    ctx.console.print(suggestion_yaml(suggestion), markup=False, highlight=False, soft_wrap=True, end="")
    return 0
