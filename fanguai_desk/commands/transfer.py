"""``victim transfer-out`` (a transfer bundle to another installation) and ``ca trust-peer|peers|untrust-peer``
(another county's CA, trusted by its fingerprint).  Receiving is the ordinary ``import BUNDLE``."""

from __future__ import annotations

import argparse
from pathlib import Path

from fanguai_desk.cli import CliError, emit, open_desk
from fanguai_desk.commands.exchange import _read  # one reader for every file the exchange commands take
from fanguai_desk.store.atomic import atomic_write_bytes


def cmd_transfer_out(args: argparse.Namespace) -> None:
    desk = open_desk(args)
    try:
        def write(bundle: bytes) -> None:
            try:
                atomic_write_bytes(Path(args.out), bundle)
            except OSError:
                raise CliError("无法写入移交包（磁盘已满或只读？），档案未结案。",
                               "Cannot write the transfer bundle (disk full or read-only?); the file stays open.") \
                    from None

        out = desk.transfer.send(args.id, _read(args.to), args.destination, write=write)
        emit(args, {"bundle_id": out.bundle_id, "counts": out.counts, "history": out.history,
                    "destination": out.destination, "retention_until": out.closed.retention_until},
             lambda: [f"移交包已写入 {args.out}：{sum(out.counts.values())} 条记录，{out.history} 条修改历史。",
                      f"本机档案已结案（转出至其他地区）：{out.destination}。接收方用 import 导入。"])
    finally:
        desk.close()


def cmd_peer(args: argparse.Namespace) -> None:
    desk = open_desk(args)
    try:
        svc = desk.transfer
        if args.ca_cmd == "trust-peer":
            p = svc.trust_peer(_read(args.cert), args.fingerprint)
            emit(args, p, lambda: [f"已信任外县证书机构：{p.subject}", f"SHA-256 指纹：{p.fingerprint}"])
        elif args.ca_cmd == "untrust-peer":
            svc.untrust_peer(args.fingerprint)
            emit(args, {"removed": args.fingerprint}, lambda: ["已取消信任。"])
        else:
            peers = svc.peers()
            emit(args, peers, lambda: [f"{p.fingerprint}  {p.subject}  有效期至 {p.not_after:%Y-%m-%d}"
                                       for p in peers] or ["（未信任任何外县证书机构）"])
    finally:
        desk.close()


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    victim = next(a for a in sub.choices["victim"]._actions if isinstance(a, argparse._SubParsersAction))
    t = victim.add_parser("transfer-out", help="生成移交包，把档案移交给另一台电脑或外县（本机档案随之结案）")
    t.add_argument("id")
    t.add_argument("--to", required=True, help="接收人的加密证书文件（PEM）")
    t.add_argument("--destination", required=True, help="移交去向（如：某县某镇民政办）")
    t.add_argument("--out", required=True, help="移交包文件")
    t.set_defaults(func=cmd_transfer_out)
    ca = next(a for a in sub.choices["ca"]._actions if isinstance(a, argparse._SubParsersAction))
    tp = ca.add_parser("trust-peer", help="信任外县的证书机构（须核对指纹）")
    tp.add_argument("cert", help="外县证书机构证书（PEM）")
    tp.add_argument("--fingerprint", required=True, help="对方县民政局提供的 SHA-256 指纹")
    up = ca.add_parser("untrust-peer", help="取消信任外县证书机构")
    up.add_argument("fingerprint")
    pp = ca.add_parser("peers", help="已信任的外县证书机构")
    for p in (tp, up, pp):
        p.set_defaults(func=cmd_peer)
