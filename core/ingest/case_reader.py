"""Read a whole case folder into mapped sheet frames, reporting every file and sheet."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from pathlib import Path

import pandas as pd

from core.errors import HotpassError
from core.ingest.discover import discover
from core.ingest.link import link_workbook
from core.ingest.mapping import ColumnMapper
from core.ingest.read import read_file
from core.ingest.sheets import build_sheet, source_info
from core.profiles import Profile
from core.progress import Reporter
from core.results import CasePreview, FileReport, LinkReport, SheetReport


@dataclass
class IngestedFile:
    """One file read, its sheets mapped and its people linked: what a worker hands back for it."""

    path: Path
    report: FileReport
    used: list[tuple[SheetReport, pd.DataFrame]]
    links: LinkReport


@dataclass
class IngestedCase:
    preview: CasePreview
    files: list[Path]
    workbooks: list[list[tuple[SheetReport, pd.DataFrame]]] = field(default_factory=list)
    links: LinkReport = field(default_factory=LinkReport)
    ahead: list = field(default_factory=list)  # PreparedFiles read ahead by copies, for the normalise stage

    def take_ahead(self) -> list:
        """The files read ahead, handed over once: held here they would keep every sheet as read alive."""
        ahead, self.ahead = self.ahead, []
        return ahead

    def records(self) -> pd.DataFrame:
        frames = [frame for workbook in self.workbooks for _, frame in workbook]
        return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()


def ingest_file(path: Path, profile: Profile, mapper: ColumnMapper | None = None) -> IngestedFile:
    """Read one spreadsheet, map its sheets and link its people; raises HotpassError for a broken file."""
    mapper = mapper or ColumnMapper(profile)
    raw_sheets = read_file(path)
    source = source_info(profile, path.name)
    report = FileReport(path.name, path.suffix.lower().lstrip("."), source.label, source.priority)
    used = []
    for raw in raw_sheets:
        sheet_report, frame = build_sheet(path.name, raw, profile, mapper, source)
        report.sheets.append(sheet_report)
        if frame is not None:
            used.append((sheet_report, frame))
    declared = source.spec.organisation_sheet if source.spec else None
    links = LinkReport()
    link_workbook(used, declared, profile.linking.id_fields, profile.linking.by_name, links,
                  source.spec.link_by if source.spec else None)
    return IngestedFile(path, report, used, links)


def ingest_case(input_dir: Path, profile: Profile, reporter: Reporter, strict: bool = True,
                read_ahead: bool = False) -> IngestedCase:
    """strict: a broken file stops the run (refine); otherwise it is listed as skipped (preview).
    read_ahead: read and normalise the files in forked copies first (refine; `IngestedCase.ahead`).

    Files a worker already read (core.ingest.prepared, the Prefect flow's split by file) are taken
    as they were handed back, when their content is unchanged.
    """
    from core.ingest.prepared import prepare_in_copies, prepared_for, using_prepared

    reporter.stage("discover")
    files, skipped = discover(input_dir)
    case = IngestedCase(CasePreview(input_dir, profile.name, skipped_files=skipped), files)
    reporter.stage("read", total=len(files))
    if read_ahead:
        waiting = [path for path in files if prepared_for(path, profile) is None]
        case.ahead = prepare_in_copies(waiting, profile, lambda done: reporter.advance(done, len(files)),
                                       reporter.check_cancelled)
    with using_prepared(case.ahead):
        _read_each(case, files, profile, reporter, strict)
    return case


def _read_each(case: IngestedCase, files: list[Path], profile: Profile, reporter: Reporter, strict: bool) -> None:
    from core.ingest.prepared import prepared_for

    mapper = ColumnMapper(profile)
    for done, path in enumerate(files, start=1):
        reporter.advance(done - 1, len(files), path.name)
        ingested = prepared_for(path, profile)
        if ingested is None:
            try:
                ingested = ingest_file(path, profile, mapper)
            except HotpassError as exc:
                if strict:
                    raise
                case.preview.skipped_files.append((path.name, exc.message))
                continue
        case.preview.files.append(ingested.report)
        for counter in fields(LinkReport):
            setattr(case.links, counter.name, getattr(case.links, counter.name) + getattr(ingested.links, counter.name))
        case.workbooks.append(ingested.used)
    reporter.advance(len(files), len(files))
