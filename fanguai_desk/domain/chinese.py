"""Traditional → simplified Chinese for comparison keys (addresses, names, duplicates).

A small table, not a converter: the characters of place names, address units and common surnames and
given names that a township worker or an imported record may write in traditional form (陳/陈, 鄉/乡,
組/组, 號/号, 莊/庄 …).  Used only to compare; what the user typed is stored as typed.  Characters not in
the table are kept (a one-to-one table cannot be wrong about them, only incomplete).
"""

from __future__ import annotations

__all__ = ["to_simplified"]

_PAIRS = (
    # address units and places
    "鄉乡 鎮镇 縣县 區区 市市 組组 號号 隊队 莊庄 灣湾 溝沟 嶺岭 壩坝 場场 頭头 園园 樓楼 層层 巷巷 門门 橋桥 "
    "莊庄 塘塘 東东 陽阳 龍龙 鳳凤 雲云 廣广 興兴 華华 豐丰 關关 際际 陰阴 衛卫 寧宁 遼辽 龜龟 灘滩 "
    "會会 區区 屬属 蘇苏 閩闽 貴贵 臺台 灣湾 滬沪 漢汉 黃黄 綠绿 紅红 藍蓝 靈灵 長长 嶽岳 峽峡 壽寿 "
    "樂乐 義义 禮礼 張张 劉刘 陳陈 楊杨 趙赵 吳吴 孫孙 馬马 葉叶 鄭郑 許许 韓韩 馮冯 鄧邓 蕭萧 蔣蒋 "
    "謝谢 羅罗 盧卢 蘇苏 魏魏 賈贾 鍾钟 譚谭 閻阎 薛薛 陸陆 顧顾 龔龚 萬万 錢钱 湯汤 嚴严 歐欧 "
    "諸诸 葛葛 節节 紀纪 喬乔 賴赖 鄒邹 熊熊 覃覃 聶聂 嚴严 龐庞 樊樊 蘭兰 麗丽 曉晓 紅红 軍军 國国 "
    "偉伟 強强 剛刚 輝辉 鵬鹏 傑杰 濤涛 潔洁 靜静 燕燕 鳳凤 嬌娇 艷艳 豔艳 瑩莹 嬋婵 麗丽 蓮莲 "
    "雲云 鵑鹃 娥娥 穎颖 琳琳 寶宝 貝贝 愛爱 歡欢 夢梦 語语 詩诗 維维 濱滨 飛飞 鑫鑫 聰聪 穩稳 "
    "順顺 運运 廳厅 圖图 書书 壯壮 滿满 響响 顯显 學学 優优 齊齐 憶忆 懷怀 權权 勝胜 進进 傳传 "
    "農农 開开 發发 電电 車车 貓猫 鳥鸟 魚鱼 灣湾 滿满 濟济 潤润 瀋沈 澤泽 凱凯 熱热 親亲 寬宽 "
    "員员 與与 爾尔 眾众 達达 邊边 遠远 還还 選选 鄰邻 郵邮 隊队 陣阵 階阶 險险 隨随 隱隐 雙双 "
    "雞鸡 離离 難难 雜杂 雖虽 飯饭 館馆 麥麦 鹽盐 齒齿 兒儿 黨党 當当 對对 將将 專专 導导 屆届 "
    "嶼屿 峯峰 廟庙 廠厂 彎弯 徑径 戶户 搖摇 據据 擴扩 數数 斷断 時时 晉晋 曬晒 暢畅 構构 標标 "
    "樣样 橫横 檢检 歲岁 歷历 殘残 氣气 溫温 滅灭 湧涌 滷卤 燈灯 營营 爺爷 牆墙 犧牺 獅狮 獎奖 "
    "環环 現现 產产 畝亩 畫画 異异 療疗 盤盘 礦矿 確确 礎础 禎祯 稱称 穀谷 窩窝 競竞 築筑 簡简 "
    "糧粮 紗纱 紙纸 細细 終终 結结 給给 統统 絲丝 經经 緣缘 編编 總总 縣县 織织 繼继 續续 缽钵 "
    "罷罢 羣群 習习 聖圣 聯联 職职 肅肃 腦脑 臨临 舊旧 艱艰 茲兹 莖茎 華华 萊莱 葉叶 蔭荫 薦荐 "
    "藝艺 蘆芦 蘿萝 虛虚 號号 蝦虾 補补 裝装 複复 見见 規规 視视 親亲 覺觉 觀观 訂订 記记 設设 "
    "証证 證证 評评 試试 詳详 誠诚 誰谁 調调 談谈 請请 論论 諾诺 講讲 謀谋 護护 讀读 變变 讓让 "
    "貞贞 負负 財财 貢贡 貧贫 貨货 販贩 責责 貴贵 貸贷 費费 貿贸 賀贺 資资 賓宾 賜赐 賞赏 賢贤 "
    "賣卖 質质 購购 贈赠 趕赶 跡迹 踐践 軌轨 軒轩 載载 較较 輕轻 輪轮 轉转 辦办 農农 這这 連连 "
    "週周 進进 遊游 運运 過过 道道 遺遗 遷迁 適适 鄉乡 醫医 釋释 針针 鈴铃 銀银 銅铜 鋒锋 錦锦 "
    "鋼钢 錄录 鍋锅 鎖锁 鏡镜 鐘钟 鐵铁 鑽钻 閉闭 開开 閒闲 間间 閣阁 闆板 闊阔 陣阵 陰阴 陳陈 "
    "陸陆 隴陇 雋隽 雪雪 霧雾 靈灵 韋韦 頁页 頂顶 項项 順顺 須须 預预 領领 頭头 題题 額额 顏颜 "
    "願愿 類类 風风 飄飘 養养 餘余 驗验 騰腾 驛驿 髮发 鬆松 鬥斗 鬧闹 魯鲁 鮮鲜 鴻鸿 鶴鹤 麼么 "
    "黨党 點点 齡龄 龔龚 邱邱 丘丘 鍾钟 溫温 曾曾 蕭萧 宮宫 闞阚 滕滕 姚姚 淩凌 凌凌 慶庆 懿懿"
)

_TABLE = {ord(pair[0]): pair[1] for pair in _PAIRS.split() if len(pair) == 2 and pair[0] != pair[1]}


def to_simplified(text: str) -> str:
    """``text`` with the traditional characters of the table replaced by their simplified forms."""
    return text.translate(_TABLE)
