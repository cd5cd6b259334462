"""``scanner-app decode PATH... [--decoder zxing|zbar] [--json]``: codes in image and video
files, through the camera's pipeline (``camera/file_decoding.py``).

Exit 0 when at least one code was read and every file could be decoded; 1 otherwise (a
missing or unreadable file is named on stderr).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from scanner_app.cli_format import say
from scanner_app.commands import EXIT_NOT_DONE, EXIT_OK, print_json
from scanner_app.config import CAMERA_DECODERS


def register(sub: Any) -> None:
    p = sub.add_parser("decode", help="decode barcodes in image and video files")
    p.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    p.add_argument("--decoder", choices=CAMERA_DECODERS, help="default: camera.decoder in config.toml (zxing)")
    p.add_argument("--json", action="store_true", help="print JSON: one object per read")
    p.set_defaults(handler=run, needs_demo=False)


def run(station: Any, args: argparse.Namespace) -> int:
    from scanner_app.camera.decoders import DecoderError
    from scanner_app.camera.file_decoding import FileRead, decode_file
    from scanner_app.camera.frame_reader import make_decoder
    from scanner_app.codes.display import visible

    camera = station.settings.camera
    decoder = make_decoder(args.decoder or camera.decoder, camera.formats)
    reads: list[FileRead] = []
    failed = False
    try:
        for path in args.paths:
            try:
                result = decode_file(path, decoder, camera.hold_off_seconds)
            except DecoderError as exc:
                say(f"scanner-app decode: {path}: {exc}", file=sys.stderr)
                failed = True
                continue
            if result.problem:
                say(f"scanner-app decode: {result.problem}", file=sys.stderr)
                failed = True
            reads.extend(result.reads)
            if not args.json and not result.problem and not result.reads:
                say(f"{path}: no code found")
            if not args.json:
                for item in result.reads:
                    say(_line(item, visible))
    finally:
        decoder.close()
    if args.json:
        print_json([item.to_json() for item in reads])
    return EXIT_OK if reads and not failed else EXIT_NOT_DONE


def _line(item: Any, visible: Any) -> str:
    read = item.read
    where = f"{item.file}" + (f" frame {item.frame}" if item.frame is not None else "")
    ident = f" {read.symbology_identifier}" if read.symbology_identifier else ""
    text = f"{where}: {read.format}{ident} {visible(read.raw)}"
    if read.gs1:
        text += "  GS1 " + "".join(f"({ai}){value}" for ai, value in read.gs1.items())
    x, y = read.centre
    return text + f"  at ({x:.0f}, {y:.0f}), {read.elapsed_ms:.1f} ms"
