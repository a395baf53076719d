<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
    <context>
        <name>AttachmentsTab</name>
        <message>
            <source>Title</source>
            <translation>标题</translation>
        </message>
        <message>
            <source>Type</source>
            <translation>类型</translation>
        </message>
        <message>
            <source>Size</source>
            <translation>大小</translation>
        </message>
        <message>
            <source>Added</source>
            <translation>添加时间</translation>
        </message>
        <message>
            <source>Original file name</source>
            <translation>原文件名</translation>
        </message>
        <message>
            <source>Title of the next attachment (optional), e.g. 知情同意书</source>
            <translation>要添加的附件标题（可不填），如：知情同意书</translation>
        </message>
        <message>
            <source>Add attachment…</source>
            <translation>添加附件…</translation>
        </message>
        <message>
            <source>Preview</source>
            <translation>预览</translation>
        </message>
        <message>
            <source>Export…</source>
            <translation>导出…</translation>
        </message>
        <message>
            <source>Open in another program…</source>
            <translation>用其他程序打开…</translation>
        </message>
        <message>
            <source>Remove</source>
            <translation>删除</translation>
        </message>
        <message>
            <source>Select an attachment and choose Preview. Attachments are kept encrypted inside the registry; the preview is decoded in memory.</source>
            <translation>选中一个附件后点“预览”。附件加密保存在登记库中，预览只在内存中解码，不写入磁盘。</translation>
        </message>
        <message>
            <source>Scanned documents and photos (PDF, JPEG, PNG, TIFF), checked by content. Never add DNA comparison results: only the police may hold DNA data.</source>
            <translation>扫描件和照片（PDF、JPEG、PNG、TIFF，按文件内容识别）。不得添加DNA比对结果：只有公安机关可以保存DNA数据。</translation>
        </message>
        <message>
            <source>Select an attachment in the list first.</source>
            <translation>请先在列表中选择一个附件。</translation>
        </message>
        <message>
            <source>Add attachment</source>
            <translation>添加附件</translation>
        </message>
        <message>
            <source>Scans and photos (*.pdf *.jpg *.jpeg *.png *.tif *.tiff);;All files (*)</source>
            <translation>扫描件和照片 (*.pdf *.jpg *.jpeg *.png *.tif *.tiff);;所有文件 (*)</translation>
        </message>
        <message>
            <source>Attachment added (stored encrypted in the registry).</source>
            <translation>已添加附件（加密保存在登记库中）。</translation>
        </message>
        <message>
            <source>Export attachment</source>
            <translation>导出附件</translation>
        </message>
        <message>
            <source>All files (*)</source>
            <translation>所有文件 (*)</translation>
        </message>
        <message>
            <source>Exported (recorded in the audit log): %1</source>
            <translation>已导出（已记入审计日志）：%1</translation>
        </message>
        <message>
            <source>Open in another program</source>
            <translation>用其他程序打开</translation>
        </message>
        <message>
            <source>The other program needs a plain, unencrypted copy of this attachment on this computer. It is written to a private folder and deleted when the registry locks or the program closes — but the other program may keep its own copies (recent files, caches). Continue?</source>
            <translation>其他程序需要在本机上有一份未加密的附件副本。副本写入仅本用户可访问的临时文件夹，登记库锁定或程序关闭时即删除——但其他程序可能自行保留副本（最近打开的文件、缓存）。是否继续？</translation>
        </message>
        <message>
            <source>Opened a temporary copy; it is deleted when the registry locks or the program closes.</source>
            <translation>已打开临时副本；登记库锁定或程序关闭时自动删除。</translation>
        </message>
        <message>
            <source>Remove attachment</source>
            <translation>删除附件</translation>
        </message>
        <message>
            <source>Remove “%1” for good? It cannot be restored (except from an older backup).</source>
            <translation>永久删除“%1”？删除后无法恢复（较早的备份除外）。</translation>
        </message>
        <message>
            <source>Attachment removed.</source>
            <translation>已删除附件。</translation>
        </message>
    </context>
    <context>
        <name>AttentionPage</name>
        <message>
            <source>Nobody forgotten</source>
            <translation>无人遗漏</translation>
        </message>
        <message>
            <source>Open files that nobody is following, children whose schooling is not settled, birthdays that change what the person may do. Double-click a row to open the file.</source>
            <translation>无人跟进的在档档案、就学尚未落实的儿童、即将改变其权利义务的生日。双击一行打开档案。</translation>
        </message>
        <message>
            <source>Open files with no planned visit</source>
            <translation>没有计划回访的在档档案</translation>
        </message>
        <message>
            <source>Open files without contact for %1 days</source>
            <translation>超过 %1 天未联系的在档档案</translation>
        </message>
        <message>
            <source>School-age children without school</source>
            <translation>适龄儿童就学未落实</translation>
        </message>
        <message>
            <source>Turning 16 in the next 30 days</source>
            <translation>30日内年满16周岁</translation>
        </message>
        <message>
            <source>Turning 18 in the next 30 days</source>
            <translation>30日内年满18周岁</translation>
        </message>
        <message>
            <source>Unidentified past the hukou threshold</source>
            <translation>身份不明且超过落户期限</translation>
        </message>
    </context>
    <context>
        <name>AuditPage</name>
        <message>
            <source>No.</source>
            <translation>序号</translation>
        </message>
        <message>
            <source>What happened</source>
            <translation>经过</translation>
        </message>
        <message>
            <source>Load older entries</source>
            <translation>加载更早的记录</translation>
        </message>
        <message>
            <source>Check the chain</source>
            <translation>校验哈希链</translation>
        </message>
        <message>
            <source>Only administrators and supervisors can read the whole audit log. Each file shows its own trail in its Audit trail tab.</source>
            <translation>只有系统管理员和督导可以查看完整的审计日志。每份档案的“审计记录”页显示该档案自己的记录。</translation>
        </message>
        <message>
            <source>Audit log</source>
            <translation>审计日志</translation>
        </message>
        <message>
            <source>Every read, reveal, change, print, export, import and sign-in, chained by hashes so that no entry can be changed or removed unnoticed. Entries hold codes and record ids, never personal data.</source>
            <translation>每一次查阅、查看完整信息、修改、打印、导出、导入和登录都记录在案，并以哈希链相连，任何一条被修改或删除都会被发现。日志只记录代码和记录编号，不含个人信息。</translation>
        </message>
        <message>
            <source>The audit log is intact: %1 entries, every hash checks.</source>
            <translation>审计日志完整：共 %1 条，哈希链校验通过。</translation>
        </message>
        <message>
            <source>The audit log has been tampered with from entry %1 on.</source>
            <translation>审计日志已被篡改：从第 %1 条起校验失败。</translation>
        </message>
    </context>
    <context>
        <name>AuditTab</name>
        <message>
            <source>Time</source>
            <translation>时间</translation>
        </message>
        <message>
            <source>User</source>
            <translation>用户</translation>
        </message>
        <message>
            <source>Record</source>
            <translation>记录</translation>
        </message>
        <message>
            <source>What happened</source>
            <translation>经过</translation>
        </message>
        <message>
            <source>Field changed</source>
            <translation>修改的字段</translation>
        </message>
        <message>
            <source>created</source>
            <translation>新建</translation>
        </message>
        <message>
            <source>Audit trail of this file (reads, reveals, changes)</source>
            <translation>本档案的审计记录（查阅、查看完整信息、修改）</translation>
        </message>
        <message>
            <source>Change history (fields only; values stay in the encrypted registry)</source>
            <translation>修改历史（仅显示字段；具体内容保存在加密登记库中）</translation>
        </message>
        <message>
            <source>file</source>
            <translation>档案</translation>
        </message>
        <message>
            <source>visit</source>
            <translation>回访</translation>
        </message>
        <message>
            <source>service</source>
            <translation>服务</translation>
        </message>
        <message>
            <source>legal aid</source>
            <translation>法律援助</translation>
        </message>
        <message>
            <source>placement</source>
            <translation>安置</translation>
        </message>
        <message>
            <source>consent</source>
            <translation>知情同意</translation>
        </message>
        <message>
            <source>guardian</source>
            <translation>监护人</translation>
        </message>
        <message>
            <source>buyer household</source>
            <translation>收买家庭</translation>
        </message>
        <message>
            <source>case</source>
            <translation>案件</translation>
        </message>
        <message>
            <source>attachment</source>
            <translation>附件</translation>
        </message>
    </context>
    <context>
        <name>CaseTab</name>
        <message>
            <source>Link to this case</source>
            <translation>关联到此案件</translation>
        </message>
        <message>
            <source>The registry does not investigate: it keeps what civil affairs knows of the case, no suspects and no evidence.</source>
            <translation>登记库不用于侦查：只记录民政部门掌握的案件信息，不记录嫌疑人，不保存证据。</translation>
        </message>
        <message>
            <source>This file is not linked to a case.</source>
            <translation>此档案尚未关联案件。</translation>
        </message>
        <message>
            <source>Case link saved.</source>
            <translation>已关联案件。</translation>
        </message>
    </context>
    <context>
        <name>CasesPage</name>
        <message>
            <source>Police case number</source>
            <translation>公安案件编号</translation>
        </message>
        <message>
            <source>Handling unit</source>
            <translation>承办单位</translation>
        </message>
        <message>
            <source>Opened on</source>
            <translation>立案日期</translation>
        </message>
        <message>
            <source>Place</source>
            <translation>地点</translation>
        </message>
        <message>
            <source>Type</source>
            <translation>类型</translation>
        </message>
        <message>
            <source>Files</source>
            <translation>档案数</translation>
        </message>
        <message>
            <source>No cases yet: add one with “New case” below.</source>
            <translation>还没有案件：可在下方“新建案件”中添加。</translation>
        </message>
        <message>
            <source>File number</source>
            <translation>档案编号</translation>
        </message>
        <message>
            <source>Name</source>
            <translation>姓名</translation>
        </message>
        <message>
            <source>Township</source>
            <translation>乡镇</translation>
        </message>
        <message>
            <source>Select a case above to see its files.</source>
            <translation>在上方选中一个案件，即可看到其档案。</translation>
        </message>
        <message>
            <source>Add case</source>
            <translation>添加案件</translation>
        </message>
        <message>
            <source>Files of the selected case</source>
            <translation>所选案件的档案</translation>
        </message>
        <message>
            <source>New case</source>
            <translation>新建案件</translation>
        </message>
        <message>
            <source>Cases</source>
            <translation>案件</translation>
        </message>
        <message>
            <source>One trafficking case as far as civil affairs knows it; its victims each have their own file (link a file to its case in the file's Case tab).</source>
            <translation>民政部门掌握的拐卖案件信息；每名受害人都有自己的专门档案（在档案的“案件”页关联案件）。</translation>
        </message>
        <message>
            <source>Case added.</source>
            <translation>案件已添加。</translation>
        </message>
    </context>
    <context>
        <name>CertificatesPanel</name>
        <message>
            <source>Signing</source>
            <translation>签名</translation>
        </message>
        <message>
            <source>Encryption</source>
            <translation>加密</translation>
        </message>
        <message>
            <source>My certificates</source>
            <translation>我的证书</translation>
        </message>
        <message>
            <source>How to get your certificates (once, and again before they expire):
1. Click “Request a certificate…” and save the request file on a USB stick.
2. Take the USB stick to the county supervisor. The county issues your certificates and saves them on the same stick.
3. Back at this laptop, click “Install certificates…” and choose the file from the county.
4. Check that the county fingerprint shown here is the one the supervisor reads out to you.
When the county sends a new revocation list, install it with “Install revocation list…”.</source>
            <translation>如何取得证书（首次使用时办理一次，证书到期前再办理一次）：
1. 点击“申请证书…”，把申请文件保存到U盘。
2. 把U盘交给县级督导。县里为您签发证书，并存回同一个U盘。
3. 回到本机，点击“安装证书…”，选择县里给您的文件。
4. 核对本页显示的县级证书指纹，与督导念给您的是否一致。
县里发来新的吊销列表时，用“安装吊销列表…”安装。</translation>
        </message>
        <message>
            <source>Purpose</source>
            <translation>用途</translation>
        </message>
        <message>
            <source>Holder</source>
            <translation>持有人</translation>
        </message>
        <message>
            <source>Serial</source>
            <translation>序列号</translation>
        </message>
        <message>
            <source>Valid until</source>
            <translation>有效期至</translation>
        </message>
        <message>
            <source>No certificate on this laptop yet: follow the steps above.</source>
            <translation>本机还没有证书：请按上面的步骤申请。</translation>
        </message>
        <message>
            <source>Request a certificate…</source>
            <translation>申请证书…</translation>
        </message>
        <message>
            <source>Install certificates…</source>
            <translation>安装证书…</translation>
        </message>
        <message>
            <source>Install revocation list…</source>
            <translation>安装吊销列表…</translation>
        </message>
        <message>
            <source>Export my encryption certificate…</source>
            <translation>导出本人加密证书…</translation>
        </message>
        <message>
            <source>Save the certificate request</source>
            <translation>保存证书申请文件</translation>
        </message>
        <message>
            <source>Certificate requests (*.req)</source>
            <translation>证书申请文件 (*.req)</translation>
        </message>
        <message>
            <source>Creating your keys…</source>
            <translation>正在生成您的密钥…</translation>
        </message>
        <message>
            <source>Request saved to %1. Take it to the county supervisor.</source>
            <translation>申请文件已保存到 %1。请交给县级督导。</translation>
        </message>
        <message>
            <source>Check code of the request: %2 — read it to the supervisor on the phone when the certificates are issued; they must match.</source>
            <translation>申请文件校验码：%2 —— 县级督导发证时，请在电话中把它读给督导核对，两边必须一致。</translation>
        </message>
        <message>
            <source>The certificates from the county</source>
            <translation>县里签发的证书文件</translation>
        </message>
        <message>
            <source>Certificate files (*.pem *.crt *.p7b *.certs);;All files (*)</source>
            <translation>证书文件 (*.pem *.crt *.p7b *.certs);;所有文件 (*)</translation>
        </message>
        <message>
            <source>Installing…</source>
            <translation>正在安装…</translation>
        </message>
        <message>
            <source>Certificates installed. You can now sign reports and export bundles.</source>
            <translation>证书已安装。现在可以签名报表、导出数据包。</translation>
        </message>
        <message>
            <source>County authority fingerprint: %1 — compare it by phone with the one the supervisor reads out; if it differs, do not use these certificates.</source>
            <translation>县级证书机构指纹：%1 —— 请在电话中与督导读出的指纹核对；不一致时不要使用这些证书。</translation>
        </message>
        <message>
            <source>The revocation list from the county</source>
            <translation>县里发来的吊销列表</translation>
        </message>
        <message>
            <source>Revocation lists (*.crl);;All files (*)</source>
            <translation>吊销列表 (*.crl);;所有文件 (*)</translation>
        </message>
        <message>
            <source>Revocation list installed.</source>
            <translation>吊销列表已安装。</translation>
        </message>
        <message>
            <source>Save my encryption certificate</source>
            <translation>保存本人加密证书</translation>
        </message>
        <message>
            <source>Certificates (*.crt)</source>
            <translation>证书 (*.crt)</translation>
        </message>
        <message>
            <source>Exporting…</source>
            <translation>正在导出…</translation>
        </message>
        <message>
            <source>Saved to %1. Give this file to the townships: they export their bundles to it.</source>
            <translation>已保存到 %1。请把此文件交给各乡镇：他们导出数据包时要用它加密。</translation>
        </message>
        <message>
            <source>County certificate authority</source>
            <translation>县级证书机构</translation>
        </message>
        <message>
            <source>Only on the county supervisor's laptop. The authority issues the certificates of every caseworker in the county. Its password protects its key: keep it on paper in a locked place.</source>
            <translation>仅用于县级督导的电脑。证书机构为全县每位工作人员签发证书。机构密码保护其密钥：请写在纸上，锁在安全的地方。</translation>
        </message>
        <message>
            <source>Set up the county authority on this laptop…</source>
            <translation>在本机设立县级证书机构…</translation>
        </message>
        <message>
            <source>e.g. Example County Civil Affairs Certificate Centre</source>
            <translation>例如：示例县民政局数字证书中心</translation>
        </message>
        <message>
            <source>e.g. Example County Civil Affairs Bureau</source>
            <translation>例如：示例县民政局</translation>
        </message>
        <message>
            <source>Create the county authority</source>
            <translation>创建县级证书机构</translation>
        </message>
        <message>
            <source>Name</source>
            <translation>名称</translation>
        </message>
        <message>
            <source>Organisation</source>
            <translation>单位</translation>
        </message>
        <message>
            <source>Authority password</source>
            <translation>机构密码</translation>
        </message>
        <message>
            <source>Repeat the password</source>
            <translation>再次输入密码</translation>
        </message>
        <message>
            <source>Revoked</source>
            <translation>已吊销</translation>
        </message>
        <message>
            <source>No certificate issued yet.</source>
            <translation>尚未签发任何证书。</translation>
        </message>
        <message>
            <source>needed to issue and revoke</source>
            <translation>签发和吊销时需要</translation>
        </message>
        <message>
            <source>Issue from a request file…</source>
            <translation>按申请文件签发…</translation>
        </message>
        <message>
            <source>Revoke the selected certificate…</source>
            <translation>吊销所选证书…</translation>
        </message>
        <message>
            <source>Export county.crt…</source>
            <translation>导出 county.crt…</translation>
        </message>
        <message>
            <source>Enter the authority's name and organisation.</source>
            <translation>请填写机构名称和单位。</translation>
        </message>
        <message>
            <source>The two passwords are not the same.</source>
            <translation>两次输入的密码不一致。</translation>
        </message>
        <message>
            <source>County authority created. Export county.crt and keep a copy of this laptop's backup in a safe place.</source>
            <translation>县级证书机构已创建。请导出 county.crt，并把本机的备份存放在安全的地方。</translation>
        </message>
        <message>
            <source>Creating the authority…</source>
            <translation>正在创建证书机构…</translation>
        </message>
        <message>
            <source>The request file</source>
            <translation>证书申请文件</translation>
        </message>
        <message>
            <source>Certificate requests (*.req);;All files (*)</source>
            <translation>证书申请文件 (*.req);;所有文件 (*)</translation>
        </message>
        <message>
            <source>Save the certificates</source>
            <translation>保存签发的证书</translation>
        </message>
        <message>
            <source>Certificate files (*.pem)</source>
            <translation>证书文件 (*.pem)</translation>
        </message>
        <message>
            <source>The request names no township: ask the user to make a new request.</source>
            <translation>申请文件中没有乡镇信息：请申请人重新生成申请文件。</translation>
        </message>
        <message>
            <source>Issue certificates</source>
            <translation>签发证书</translation>
        </message>
        <message>
            <source>Bind these certificates to the township “%1” with the role “%2”? Bundles signed with them will only be accepted for that township.</source>
            <translation>将这些证书绑定到乡镇“%1”、角色“%2”？用它们签名的数据包只会被接受为该乡镇的数据。</translation>
        </message>
        <message>
            <source>Enter the authority password first.</source>
            <translation>请先输入机构密码。</translation>
        </message>
        <message>
            <source>Issuing…</source>
            <translation>正在签发…</translation>
        </message>
        <message>
            <source>Certificates saved to %1. Give the file back to the caseworker.</source>
            <translation>证书已保存到 %1。请把文件交还给工作人员。</translation>
        </message>
        <message>
            <source>Check code of the request: %2 — compare it by phone with the code the caseworker reads out; if it differs, do not hand over the certificates and revoke them.</source>
            <translation>申请文件校验码：%2 —— 请在电话中与乡镇干部读出的校验码核对；不一致时不要交付证书，并将其吊销。</translation>
        </message>
        <message>
            <source>Save the new revocation list</source>
            <translation>保存新的吊销列表</translation>
        </message>
        <message>
            <source>Revocation lists (*.crl)</source>
            <translation>吊销列表 (*.crl)</translation>
        </message>
        <message>
            <source>Select a certificate in the list first.</source>
            <translation>请先在列表中选择一个证书。</translation>
        </message>
        <message>
            <source>Revoking…</source>
            <translation>正在吊销…</translation>
        </message>
        <message>
            <source>Certificate revoked. New revocation list saved to %1: install it on every laptop.</source>
            <translation>证书已吊销。新的吊销列表已保存到 %1：请在每台电脑上安装。</translation>
        </message>
        <message>
            <source>Save county.crt</source>
            <translation>保存 county.crt</translation>
        </message>
        <message>
            <source>No county certificate is installed yet.</source>
            <translation>本机尚未安装县级证书。</translation>
        </message>
        <message>
            <source>Saved to %1.</source>
            <translation>已保存到 %1。</translation>
        </message>
        <message>
            <source>The file cannot be read.</source>
            <translation>无法读取该文件。</translation>
        </message>
        <message>
            <source>The file could not be saved there. Choose another folder.</source>
            <translation>无法保存到该位置，请选择其他文件夹。</translation>
        </message>
        <message>
            <source>No county certificate installed yet.</source>
            <translation>尚未安装县级证书。</translation>
        </message>
        <message>
            <source>Trusted county authority: %1
Fingerprint (SHA-256): %2</source>
            <translation>信任的县级证书机构：%1
指纹（SHA-256）：%2</translation>
        </message>
        <message>
            <source>This laptop holds the county authority.</source>
            <translation>本机是县级证书机构。</translation>
        </message>
        <message>
            <source>This laptop holds no county authority. Create one only on the supervisor's laptop, once for the whole county.</source>
            <translation>本机没有县级证书机构。只需在督导的电脑上创建一次，全县共用。</translation>
        </message>
    </context>
    <context>
        <name>CloseFileDialog</name>
        <message>
            <source>Close the file</source>
            <translation>结案</translation>
        </message>
        <message>
            <source>Looking for open visits, services and referrals…</source>
            <translation>正在查找尚未完成的回访、服务和转介……</translation>
        </message>
        <message>
            <source>Required for “other” and “merged into a duplicate file” (name the file it was merged into).</source>
            <translation>选择“其他”或“并入重复档案”时必填（写明并入的档案编号）。</translation>
        </message>
        <message>
            <source>A closed file is read-only (it can be reopened with a reason). It is kept for %1 years after closing (PIPL art. 19), then it may be deleted for good.</source>
            <translation>结案后档案只能查看（可说明理由重新开启）。结案后保存 %1 年（个人信息保护法第十九条），期满后可以彻底删除。</translation>
        </message>
        <message>
            <source>Nothing is still open on this file.</source>
            <translation>该档案没有尚未完成的事项。</translation>
        </message>
        <message>
            <source>Still open on this file — closing cancels them, noting the reason:</source>
            <translation>该档案尚有以下事项未完成——结案将取消这些事项并注明理由：</translation>
        </message>
        <message>
            <source>planned visit on %1</source>
            <translation>%1 的计划回访</translation>
        </message>
        <message>
            <source>service %1, due %2</source>
            <translation>服务“%1”，应于 %2 完成</translation>
        </message>
        <message>
            <source>legal-aid referral of %1 (%2) — will be revoked</source>
            <translation>%1 的法律援助转介（%2）——将撤回</translation>
        </message>
        <message>
            <source>Say why (for a merged file: the number of the file it was merged into).</source>
            <translation>请说明理由（并入重复档案的，写明并入的档案编号）。</translation>
        </message>
    </context>
    <context>
        <name>ConsentsTab</name>
        <message>
            <source>Consent to</source>
            <translation>同意事项</translation>
        </message>
        <message>
            <source>Given by</source>
            <translation>同意人</translation>
        </message>
        <message>
            <source>Guardian</source>
            <translation>监护人</translation>
        </message>
        <message>
            <source>Given on</source>
            <translation>同意日期</translation>
        </message>
        <message>
            <source>Withdrawn on</source>
            <translation>撤回日期</translation>
        </message>
        <message>
            <source>Withdraw selected (today)</source>
            <translation>撤回所选同意（今天）</translation>
        </message>
        <message>
            <source>Record consent</source>
            <translation>记录同意</translation>
        </message>
        <message>
            <source>Record a consent (PIPL: for a minor, the guardian's)</source>
            <translation>记录知情同意（个人信息保护法：未成年人由监护人同意）</translation>
        </message>
        <message>
            <source>Consent recorded.</source>
            <translation>同意已记录。</translation>
        </message>
        <message>
            <source>Select a consent in the list first.</source>
            <translation>请先在列表中选择一条同意记录。</translation>
        </message>
        <message>
            <source>Consent withdrawn.</source>
            <translation>同意已撤回。</translation>
        </message>
    </context>
    <context>
        <name>CoreActions</name>
        <message>
            <source>To go on with this older copy on purpose, ask your administrator to confirm it (it is audited).</source>
            <translation>确要继续使用这个旧副本，请联系管理员确认（会记入审计日志）。</translation>
        </message>
        <message>
            <source>Ask your administrator to recompute the maintained state, and report it.</source>
            <translation>请联系管理员重新计算维护状态，并报告。</translation>
        </message>
        <message>
            <source>Ask your administrator to restore the registry from the latest backup.</source>
            <translation>请联系管理员从最近的备份恢复登记库。</translation>
        </message>
        <message>
            <source>Ask your administrator to restore from a backup, and keep the damaged file for inspection.</source>
            <translation>请联系管理员从备份恢复，并保留损坏的文件以便检查。</translation>
        </message>
        <message>
            <source>ask your administrator to take the key file back from the latest backup (the key file only; the database stays as it is).</source>
            <translation>请联系管理员从最近的备份取回密钥文件（只取回密钥文件，数据库保持不动）。</translation>
        </message>
        <message>
            <source>Ask your administrator to take the key file back from any backup.</source>
            <translation>请联系管理员从任一备份取回密钥文件。</translation>
        </message>
        <message>
            <source>Ask your administrator to take them back from a backup.</source>
            <translation>请联系管理员从备份取回密钥文件。</translation>
        </message>
        <message>
            <source>Ask your administrator to make one and keep it printed.</source>
            <translation>请联系管理员生成恢复密钥并打印保存。</translation>
        </message>
        <message>
            <source>click “Run the check-up” under Settings / users → Maintenance and backups, and consider restoring from a backup.</source>
            <translation>请在“设置 / 用户 → 维护与备份”中点“开始体检”，并考虑从备份恢复。</translation>
        </message>
        <message>
            <source>If it is right, answer “Yes” when asked.</source>
            <translation>确认无误请在提示框中点“是”。</translation>
        </message>
        <message>
            <source>answer “Yes” in the question before deleting.</source>
            <translation>确认无误后在删除前的提示框中点“是”。</translation>
        </message>
        <message>
            <source>if lost, ask the township to tick “Also resend everything the supervisor has not confirmed” under Data exchange → Export on its laptop and export again,</source>
            <translation>如已丢失，请乡镇在其电脑的“数据交换 → 导出”中勾选“补发督导尚未确认收到的全部变更”后再导出，</translation>
        </message>
        <message>
            <source>On this laptop, tick “Also resend everything the supervisor has not confirmed” under Data exchange → Export, then export.</source>
            <translation>请在本机“数据交换 → 导出”中勾选“补发督导尚未确认收到的全部变更”后再导出。</translation>
        </message>
        <message>
            <source>check the township named in the request when asked before issuing.</source>
            <translation>签发前请在确认框中核对申请文件中的乡镇。</translation>
        </message>
        <message>
            <source>say which one to reset.</source>
            <translation>请指明要重设密码的管理员。</translation>
        </message>
        <message>
            <source>Request a new one under Settings / users → Certificates (“Request a certificate…”).</source>
            <translation>请在“设置 / 用户 → 证书”中点“申请证书…”重新申请。</translation>
        </message>
        <message>
            <source>choose where to save the PDF or the spreadsheet.</source>
            <translation>请选择保存 PDF 或电子表格的位置。</translation>
        </message>
    </context>
    <context>
        <name>CoreMessages</name>
        <message>
            <source>Wrong user name or password.</source>
            <translation>用户名或密码错误。</translation>
        </message>
        <message>
            <source>Too many wrong passwords. Try again in {seconds} s.</source>
            <translation>密码错误次数过多，请 {seconds} 秒后再试。</translation>
        </message>
        <message>
            <source>This user has been deactivated.</source>
            <translation>该用户已停用。</translation>
        </message>
        <message>
            <source>There is no registry in this folder. Initialise one or choose the right data folder.</source>
            <translation>该目录中没有登记库。请先初始化，或选择正确的数据目录。</translation>
        </message>
        <message>
            <source>A registry already exists in this folder.</source>
            <translation>该目录中已有登记库，不能重复创建。</translation>
        </message>
        <message>
            <source>The database file {file} cannot be read (damaged or wrong key). Restore from a backup.</source>
            <translation>数据库文件 {file} 无法读取（已损坏或密钥不符）。请从备份恢复。</translation>
        </message>
        <message>
            <source>The registry database file {file} is missing. {action}</source>
            <translation>登记库数据库文件 {file} 不见了。{action}</translation>
        </message>
        <message>
            <source>The key file {file} is damaged and its backup copy too (this is not a wrong password and does not count as one). The database itself is intact: {action}</source>
            <translation>密钥文件 {file} 已损坏，备份副本也不可用（这不是密码错误，不计入错误次数）。数据库本身完好：{action}</translation>
        </message>
        <message>
            <source>Key file format {found} is unknown: it may come from a newer version of the program.</source>
            <translation>密钥文件格式 {found} 无法识别：它可能来自更新版本的程序。</translation>
        </message>
        <message>
            <source>A previous re-key has not finished. Sign in again (it is finished or rolled back), then retry.</source>
            <translation>上一次换密钥尚未完成。请重新登录一次（会自动完成或撤回），然后再试。</translation>
        </message>
        <message>
            <source>The key file and the database belong to different registries.</source>
            <translation>密钥文件与数据库不属于同一个登记库。</translation>
        </message>
        <message>
            <source>This registry was made by a newer version of the program (schema {found}). Upgrade to open it.</source>
            <translation>该登记库由更新版本的程序创建（结构版本 {found}），请升级本程序后再打开。</translation>
        </message>
        <message>
            <source>You are not allowed to do this.</source>
            <translation>无权执行此操作。</translation>
        </message>
        <message>
            <source>This needs one of these roles: {required}.</source>
            <translation>此操作需要以下角色：{required}。</translation>
        </message>
        <message>
            <source>You can only see and change files of your own township.</source>
            <translation>只能查看和修改本乡镇的档案。</translation>
        </message>
        <message>
            <source>This record was created on another laptop (the township's) and changes there; the change arrives with its next export.</source>
            <translation>该记录由另一台电脑（乡镇）建立，只能在那里修改；修改会随下一次导出传来。</translation>
        </message>
        <message>
            <source>This review flag was raised at the township and is closed there; the closure arrives with the township's next bundle.</source>
            <translation>该复核标记由乡镇提出，只能在乡镇复核关闭；关闭结果会随乡镇的下一个数据包传来。</translation>
        </message>
        <message>
            <source>Unknown setting: {setting}.</source>
            <translation>未知的设置项：{setting}。</translation>
        </message>
        <message>
            <source>Invalid value for setting {setting}: it must be between {min} and {max} (for text: its length). Nothing was saved.</source>
            <translation>设置项 {setting} 的值无效：应在 {min} 至 {max} 之间（文字为长度）。未保存。</translation>
        </message>
        <message>
            <source>You cannot remove the user you are signed in as.</source>
            <translation>不能删除当前登录的用户。</translation>
        </message>
        <message>
            <source>Use “change password” for your own password.</source>
            <translation>请使用“修改密码”更改自己的密码。</translation>
        </message>
        <message>
            <source>The last administrator cannot be removed.</source>
            <translation>不能停用最后一位管理员。</translation>
        </message>
        <message>
            <source>This file is closed; reopen it first.</source>
            <translation>该档案已结案，请先重新开启。</translation>
        </message>
        <message>
            <source>Record not found.</source>
            <translation>找不到该记录。</translation>
        </message>
        <message>
            <source>File not found (or not yours to see).</source>
            <translation>找不到该档案（或无权查看）。</translation>
        </message>
        <message>
            <source>Record not found (or not yours to see).</source>
            <translation>找不到该记录（或无权查看）。</translation>
        </message>
        <message>
            <source>Case not found (or not yours to see).</source>
            <translation>找不到该案件（或无权查看）。</translation>
        </message>
        <message>
            <source>The case given does not exist.</source>
            <translation>所填案件不存在。</translation>
        </message>
        <message>
            <source>User not found.</source>
            <translation>找不到该用户。</translation>
        </message>
        <message>
            <source>This record was changed elsewhere (another window or user). Reopen it and edit again.</source>
            <translation>该记录已被他人（或另一窗口）修改，请重新打开后再修改。</translation>
        </message>
        <message>
            <source>Invalid input.</source>
            <translation>输入有误。</translation>
        </message>
        <message>
            <source>Unknown field: {field}.</source>
            <translation>不认识的字段：{field}。</translation>
        </message>
        <message>
            <source>Required: {field}.</source>
            <translation>必须填写：{field}。</translation>
        </message>
        <message>
            <source>Field {field} has the wrong type (expected {expected}).</source>
            <translation>字段 {field} 的格式不对（应为 {expected}）。</translation>
        </message>
        <message>
            <source>Field {field} is too long (at most {max} characters).</source>
            <translation>字段 {field} 太长（最多 {max} 字）。</translation>
        </message>
        <message>
            <source>Invalid value for {field}; allowed: {allowed}.</source>
            <translation>字段 {field} 的取值无效，可选：{allowed}。</translation>
        </message>
        <message>
            <source>Field {field} must be a date like 2026-11-22.</source>
            <translation>字段 {field} 的日期格式应为 年-月-日（如 2026-11-22）。</translation>
        </message>
        <message>
            <source>Field {field} cannot be in the future.</source>
            <translation>字段 {field} 的日期不能晚于今天。</translation>
        </message>
        <message>
            <source>The birth date cannot be in the future.</source>
            <translation>出生日期不能晚于今天。</translation>
        </message>
        <message>
            <source>Field {field} cannot be before 1900.</source>
            <translation>字段 {field} 的日期不能早于1900年。</translation>
        </message>
        <message>
            <source>The rescue date cannot be before the birth date.</source>
            <translation>解救日期不能早于出生日期。</translation>
        </message>
        <message>
            <source>The estimated birth year {estimated_year} contradicts the ID number's birth year {id_year}.</source>
            <translation>估计出生年份 {estimated_year} 与身份证号码中的出生年份 {id_year} 不一致。</translation>
        </message>
        <message>
            <source>Field {field} contains control characters or text-direction controls; it cannot be saved.</source>
            <translation>字段 {field} 含有控制字符或文字方向控制符，不能保存。</translation>
        </message>
        <message>
            <source>The bundle's township code {township_code} is used by another township here: file numbers would repeat county-wide. Give one of the townships another code first.</source>
            <translation>该导出包中的乡镇编码 {township_code} 已被本机另一个乡镇使用：档案编号将在全县重复。请先为其中一个乡镇更换编码。</translation>
        </message>
        <message>
            <source>Township code {township_code} is invalid: 6 to 9 digits starting with the county code.</source>
            <translation>乡镇编码 {township_code} 无效：应为以县级编码开头的6至9位数字。</translation>
        </message>
        <message>
            <source>Refused: a member of the buying household cannot become the rescued child's guardian (a child must not be left with the buying family).</source>
            <translation>不得登记：收买家庭的成员不能成为被解救儿童的监护人（不得由收买家庭继续抚养）。</translation>
        </message>
        <message>
            <source>Refused: a member of the buying household cannot give consent for the rescued child.</source>
            <translation>不得登记：收买家庭的成员不能代被解救儿童作出同意。</translation>
        </message>
        <message>
            <source>The estimated birth year is not plausible.</source>
            <translation>估计出生年份不合理。</translation>
        </message>
        <message>
            <source>The end date cannot be before the start date.</source>
            <translation>结束日期不能早于开始日期。</translation>
        </message>
        <message>
            <source>Enter a name, or at least an alias when the identity is unknown.</source>
            <translation>请填写姓名；身份不明时至少填写一个化名（别名）。</translation>
        </message>
        <message>
            <source>Unknown township.</source>
            <translation>所填乡镇不存在。</translation>
        </message>
        <message>
            <source>This file number is already in use.</source>
            <translation>档案编号已被使用。</translation>
        </message>
        <message>
            <source>A file number looks like 510101-2026-0001.</source>
            <translation>档案编号格式应如 510101-2026-0001。</translation>
        </message>
        <message>
            <source>Invalid user name.</source>
            <translation>用户名无效。</translation>
        </message>
        <message>
            <source>This user name is taken.</source>
            <translation>该用户名已存在。</translation>
        </message>
        <message>
            <source>A caseworker must belong to a township.</source>
            <translation>乡镇工作人员必须指定所属乡镇。</translation>
        </message>
        <message>
            <source>Unknown role.</source>
            <translation>未知的角色。</translation>
        </message>
        <message>
            <source>The password needs at least {min} characters.</source>
            <translation>密码至少需要 {min} 个字符。</translation>
        </message>
        <message>
            <source>This password is too common and easy to guess.</source>
            <translation>密码太常见，容易被猜到。</translation>
        </message>
        <message>
            <source>The password must not contain the user name.</source>
            <translation>密码不能包含用户名。</translation>
        </message>
        <message>
            <source>Use at least two kinds of characters (letters, digits, symbols, Chinese).</source>
            <translation>密码至少要包含两类字符（字母、数字、符号或汉字）。</translation>
        </message>
        <message>
            <source>An ID number has 18 characters (the last may be X).</source>
            <translation>身份证号码应为18位（最后一位可为X）。</translation>
        </message>
        <message>
            <source>The ID number's check character is wrong; please check it.</source>
            <translation>身份证号码校验位不正确，请核对。</translation>
        </message>
        <message>
            <source>The birth date inside the ID number is not valid.</source>
            <translation>身份证号码中的出生日期无效。</translation>
        </message>
        <message>
            <source>The birth date in the ID number differs from the file's birth date.</source>
            <translation>身份证号码中的出生日期与档案填写的出生日期不一致。</translation>
        </message>
        <message>
            <source>The sex encoded in the ID number differs from the file's sex.</source>
            <translation>身份证号码中的性别与档案填写的性别不一致。</translation>
        </message>
        <message>
            <source>This ID number is already on file {file_number}; do not file the person twice.</source>
            <translation>该身份证号码已在档案 {file_number} 中登记，请勿重复建档。</translation>
        </message>
        <message>
            <source>DNA data may not be recorded (field: {field}). The anti-trafficking action plans forbid anyone but the police from collecting DNA data of trafficked children, parents and suspected victims.</source>
            <translation>不得录入DNA数据（字段：{field}）。依据反拐行动计划：禁止除公安机关以外的任何组织或者个人收集被拐卖儿童、父母和疑似被拐卖人员的DNA数据信息。</translation>
        </message>
        <message>
            <source>Vocational training and employment are only for victims aged 16 or over; the person is {age} on the service date.</source>
            <translation>技能培训和就业服务只提供给16周岁以上的被拐卖受害人；服务日期时本人为 {age} 岁。</translation>
        </message>
        <message>
            <source>The person's age is unknown, so training (16 and over only) cannot be arranged. Enter a birth date or estimated birth year first.</source>
            <translation>无法确定本人年龄，不能安排技能培训和就业服务（仅限16周岁以上）。请先填写出生日期或估计出生年份。</translation>
        </message>
        <message>
            <source>Training needs the person's recorded willingness.</source>
            <translation>技能培训和就业服务须记录本人有培训意愿。</translation>
        </message>
        <message>
            <source>Return to school is for children of compulsory-education age ({min_age} to {max_age}); the person is {age} on the service date.</source>
            <translation>回归学校服务适用于义务教育适龄儿童（{min_age}至{max_age}周岁）；服务日期时本人为 {age} 岁。</translation>
        </message>
        <message>
            <source>Refused: a rescued child must not be left with the buying family, and this placement matches the buyer household on file.</source>
            <translation>不得安置：被解救儿童不得由收买家庭继续抚养。该安置与档案中登记的收买家庭相符。</translation>
        </message>
        <message>
            <source>A legal-aid referral needs the person's consent (a guardian's for a minor) on file, or an explicit override with a reason (kept in the audit log).</source>
            <translation>转介法律援助需要本人（未成年人须监护人）的同意记录，或填写理由明确越过同意（将记入审计日志）。</translation>
        </message>
        <message>
            <source>For a minor, consent is given by the guardian.</source>
            <translation>未成年人的同意须由监护人作出。</translation>
        </message>
        <message>
            <source>A referral cannot go from {from_status} to {to_status}.</source>
            <translation>转介状态不能从“{from_status}”改为“{to_status}”。</translation>
        </message>
        <message>
            <source>The date cannot be before the referral date.</source>
            <translation>日期不能早于转介日期。</translation>
        </message>
        <message>
            <source>A refusal must be written with its reasons (Legal Aid Law art. 43).</source>
            <translation>不予法律援助的决定须写明理由（法律援助法第四十三条）。</translation>
        </message>
        <message>
            <source>This visit is not planned (already done or cancelled).</source>
            <translation>该回访不是待办状态。</translation>
        </message>
        <message>
            <source>A visit cannot be recorded in the future.</source>
            <translation>回访日期不能晚于今天。</translation>
        </message>
        <message>
            <source>The next visit must be after this visit.</source>
            <translation>下次回访日期必须晚于本次回访日期。</translation>
        </message>
        <message>
            <source>This file is not closed; there is nothing to reopen.</source>
            <translation>该档案未结案，无需重新开启。</translation>
        </message>
        <message>
            <source>“{field}” needs a real reason: at least {min} letters or digits, not punctuation only.</source>
            <translation>“{field}”须写明实际理由：至少 {min} 个汉字、字母或数字，不能只有标点符号。</translation>
        </message>
        <message>
            <source>The file already belongs to that township.</source>
            <translation>档案已属于该乡镇。</translation>
        </message>
        <message>
            <source>The chosen person is not an active caseworker of that township.</source>
            <translation>所选工作人员不是该乡镇的在职民政干部。</translation>
        </message>
        <message>
            <source>A file entered by mistake can only be deleted on the laptop where it was created.</source>
            <translation>只能在建档的电脑上删除误建的档案。</translation>
        </message>
        <message>
            <source>A file entered by mistake can only be deleted within {days} days of its creation; close it with a reason instead.</source>
            <translation>误建档案只能在建档后 {days} 天内删除；之后请以适当理由结案。</translation>
        </message>
        <message>
            <source>The planned visit date {planned_date} is in the past. {action}</source>
            <translation>计划回访日期 {planned_date} 早于今天。{action}</translation>
        </message>
        <message>
            <source>This certificate or transfer comes from a county that is not trusted. Check the SHA-256 fingerprint of that county's CA certificate with them, then have an administrator trust it{action}.</source>
            <translation>该证书或移交包来自未受信任的县。请先向对方县民政局核对其证书机构证书的 SHA-256 指纹，再由管理员添加为受信任的县{action}。</translation>
        </message>
        <message>
            <source>{missing} earlier bundle(s) from laptop {laptop} are missing (no. {sequences}, changes {changes}). Import them first; {action} or import anyway and fill the gap later.</source>
            <translation>缺少该乡镇电脑（{laptop}）此前的 {missing} 个数据包（第 {sequences} 号，变更 {changes}）。请先导入它们；{action}也可选择“仍然导入”，稍后再补。</translation>
        </message>
        <message>
            <source>No bundle no. {sequence} with record changes was sent to this supervisor from this laptop (in its current epoch). {action}</source>
            <translation>本机没有发给该督导的第 {sequence} 号数据包（或它不含档案变更），无法重新生成。{action}</translation>
        </message>
        <message>
            <source>This is not a readable receipt from the supervisor (the file is damaged or is not a receipt). Nothing was changed.</source>
            <translation>这不是一份可读的督导回执（文件已损坏，或不是回执）。什么也没有改变。</translation>
        </message>
        <message>
            <source>This receipt comes from a newer program; upgrade first. Nothing was changed.</source>
            <translation>这份回执来自更新版本的程序，请先升级本程序。什么也没有改变。</translation>
        </message>
        <message>
            <source>This laptop has no encryption certificate yet, so it cannot write a receipt: install its certificate on the Certificates page first.</source>
            <translation>本机还没有加密证书，无法生成回执：请先在“证书”页安装本机的证书。</translation>
        </message>
        <message>
            <source>This receipt is not from a supervisor this laptop exports to. Nothing was changed.</source>
            <translation>这份回执不是本机导出数据所发往的督导签发的。什么也没有改变。</translation>
        </message>
        <message>
            <source>The import needs about {needed_mb} MB of free disk (the database's write-ahead log and its growth); the registry's disk has {free_mb} MB. Nothing was written; free some space and import again.</source>
            <translation>导入需要约 {needed_mb} MB 可用磁盘空间（数据库写入日志和登记库的增长），登记库所在磁盘只剩 {free_mb} MB。什么也没有写入；请先腾出空间再导入。</translation>
        </message>
        <message>
            <source>The import needs about {needed_mb} MB of free disk (the database's write-ahead log and its growth); the registry's disk has {free_mb} MB.</source>
            <translation>导入约需 {needed_mb} MB 可用磁盘空间（数据库写入日志和登记库的增长），登记库所在磁盘现有 {free_mb} MB。</translation>
        </message>
        <message>
            <source>A record in the bundle ({record_type}{record_ref}) is not the signer's to send: {reason}. The whole bundle is refused and nothing was written.</source>
            <translation>数据包中有一条记录（{record_type}{record_ref}）签名人无权发送：{reason}。整个数据包被拒绝，未写入任何内容。</translation>
        </message>
        <message>
            <source>the signing certificate names no township and role</source>
            <translation>签名证书没有绑定乡镇和角色</translation>
        </message>
        <message>
            <source>its author is not the signer</source>
            <translation>作者与签名人不是同一人</translation>
        </message>
        <message>
            <source>it belongs to another township</source>
            <translation>它属于其他乡镇</translation>
        </message>
        <message>
            <source>it was entered by someone outside that township</source>
            <translation>它由该乡镇以外的人员录入</translation>
        </message>
        <message>
            <source>it comes from another laptop</source>
            <translation>它来自另一台电脑</translation>
        </message>
        <message>
            <source>it was printed or flagged on another laptop</source>
            <translation>它是在另一台电脑上打印或标记的</translation>
        </message>
        <message>
            <source>its file is not on this laptop</source>
            <translation>它所属的档案不在本机</translation>
        </message>
        <message>
            <source>Confirm the applicant's township: {action}</source>
            <translation>请确认申请人所属乡镇：{action}</translation>
        </message>
        <message>
            <source>The registry database file {file} is empty while the key slots remain: it is never replaced by an empty registry. {action}</source>
            <translation>登记库数据库文件 {file} 是空的，但密钥文件还在：程序不会用空库替换它。{action}</translation>
        </message>
        <message>
            <source>The database is older than the latest state recorded on this computer: {missing} audit entries are missing (the record reaches entry {recorded}, the database only {found}). An older registry.db may have been copied back, or the registry.db-wal file was lost. The registry was not opened for writing, so that no work is done on an old copy and newer records lost. Put the newest registry.db (with its -wal file) back into {dir}; if it cannot be found, restore the newest backup. {action}</source>
            <translation>数据库比本机记录的最新状态旧：缺少 {missing} 条审计记录（应到第 {recorded} 条，现在只到第 {found} 条）。可能有人把旧的 registry.db 拷了回来，或者 registry.db-wal 文件丢了。为免在旧副本上继续工作、丢失较新的记录，登记库没有以可写方式打开。请把最新的 registry.db（连同同名的 -wal 文件）放回 {dir}；找不到时，从最新的备份恢复。{action}</translation>
        </message>
        <message>
            <source>The database is not the latest state recorded on this computer: audit entry {recorded} differs from the record (the database now reaches entry {found}). It is an older copy that has been written to since; newer records are not in it. The registry was not opened for writing. Put the newest registry.db (with its -wal file) back into {dir}, or restore the newest backup. {action}</source>
            <translation>数据库不是本机记录的最新状态：第 {recorded} 条审计记录与记录不符（数据库现到第 {found} 条）。这是一个旧副本，之后又被写入过；较新的记录不在其中。登记库没有以可写方式打开。请把最新的 registry.db（连同 -wal 文件）放回 {dir}，或从最新的备份恢复。{action}</translation>
        </message>
        <message>
            <source>The audit head file audit-head.json is missing ({dir}): this time it cannot be confirmed that the database is the latest. It was made again and the sign-in audit entry records it. If you did not remove it, tell your administrator.</source>
            <translation>审计记录头文件 audit-head.json 不见了（{dir}）：本次无法确认数据库是不是最新的。已重新建立，并记入审计日志。如果不是您删除的，请报告管理员。</translation>
        </message>
        <message>
            <source>The audit head file audit-head.json is damaged or was not written with this registry's key ({dir}): it is not believed, it was rewritten from the current database, and the sign-in audit entry records it. If nobody touched it, tell your administrator.</source>
            <translation>审计记录头文件 audit-head.json 已损坏或不是用本登记库的密钥写的（{dir}）：不予采信，已按当前数据库重写，并记入审计日志。如果没有人动过它，请报告管理员。</translation>
        </message>
        <message>
            <source>The disk could not be read or written: the last change was not saved. Check the disk and try again; if it keeps happening, {action}</source>
            <translation>读写磁盘出错：刚才的操作没有保存。请检查磁盘或U盘后重试；如反复出现，{action}</translation>
        </message>
        <message>
            <source>The database file {file} is damaged (pages fail their checks). It is not opened, so that nothing is shown half-missing. {action}</source>
            <translation>数据库文件 {file} 已损坏（有数据页校验失败），为避免只打开一部分数据，程序不会打开它。{action}</translation>
        </message>
        <message>
            <source>The key file {file} and its copy are missing, so the database cannot be opened. {action}</source>
            <translation>找不到密钥文件 {file} 及其副本，数据库无法打开。{action}</translation>
        </message>
        <message>
            <source>This computer's clock ({now} UTC) is more than a day ahead of the latest time the registry recorded before ({seen} UTC). Check the computer's date and time, then {action} Nothing was deleted.</source>
            <translation>本机时钟（{now} UTC）比登记库此前记录到的最晚时间（{seen} UTC）晚了一天以上。请先核对电脑日期时间是否正确，{action}未删除任何档案。</translation>
        </message>
        <message>
            <source>There are several administrators: {action}</source>
            <translation>有多位管理员，{action}</translation>
        </message>
        <message>
            <source>Key file {file} and its copy are both unusable. {action}</source>
            <translation>密钥文件 {file} 及其副本都不可用。{action}</translation>
        </message>
        <message>
            <source>No recovery key: a lost administrator password could not be recovered. {action}</source>
            <translation>没有恢复密钥：管理员密码丢失将无法找回。{action}</translation>
        </message>
        <message>
            <source>Maintained state consistent: the current placement, planned and last visits, last contact and schooling of {files} files match their records.</source>
            <translation>维护状态一致：{files} 份档案的当前安置状况、计划回访、最近联系和就学情况与其记录相符。</translation>
        </message>
        <message>
            <source>The maintained state of {files} files differs from their records (columns: {columns}; missing or altered triggers: {triggers}). Dashboard counts may be wrong. {action}</source>
            <translation>{files} 份档案的维护状态与其记录不符（字段：{columns}；缺少或已改动的触发器：{triggers}）。工作台的统计可能有误。{action}</translation>
        </message>
        <message>
            <source>Maintained state recomputed: {files} files corrected, triggers restored.</source>
            <translation>已重新计算维护状态：{files} 份档案已更正，触发器已恢复。</translation>
        </message>
        <message>
            <source>The database is older than the latest state recorded on this computer: {missing} audit entries missing (the record reaches entry {recorded}, the database {found}). To recover: put the newest registry.db (with its -wal file) back into the data folder; if it cannot be found, restore the newest backup. {action}</source>
            <translation>数据库比本机记录的最新状态旧：缺少 {missing} 条审计记录（应到第 {recorded} 条，现只到第 {found} 条）。恢复办法：把最新的 registry.db（连同 -wal 文件）放回数据目录；找不到时从最新备份恢复。{action}</translation>
        </message>
        <message>
            <source>The database is an older copy written to since: audit entry {recorded} differs from the record on this computer. To recover: put the newest registry.db (with its -wal file) back into the data folder, or restore the newest backup. {action}</source>
            <translation>数据库是旧副本、之后又被写入过：第 {recorded} 条审计记录与本机记录不符。恢复办法：把最新的 registry.db（连同 -wal 文件）放回数据目录，或从最新备份恢复。{action}</translation>
        </message>
        <message>
            <source>Your signing certificate has been revoked; you cannot sign. {action}</source>
            <translation>您的签名证书已被吊销，不能签名。{action}</translation>
        </message>
        <message>
            <source>No output file was given: {action}</source>
            <translation>没有指定输出文件：{action}</translation>
        </message>
        <message>
            <source>The CA certificate's fingerprint is {fingerprint}, not the one given: not trusted. Check with that county.</source>
            <translation>证书机构证书的指纹为 {fingerprint}，与所填指纹不符：未添加。请与对方县核对。</translation>
        </message>
        <message>
            <source>This is a township laptop: importing the townships' bundles, reviewing conflicts and possible duplicates, writing receipts and the county certificate authority are done only on the county's laptop. Nothing was changed.</source>
            <translation>本机是乡镇电脑：导入乡镇数据包、复核冲突和疑似重复、出具回执、县级证书机构，只能在县级电脑（县民政局）上进行。未做任何更改。</translation>
        </message>
        <message>
            <source>This is the county's laptop: exporting bundles to the county and taking in the county's receipt are done only on a township laptop. Nothing was changed.</source>
            <translation>本机是县级电脑：向县里导出数据包、接收县里的回执，只能在乡镇电脑上进行。未做任何更改。</translation>
        </message>
        <message>
            <source>This file is not a CA certificate.</source>
            <translation>该文件不是证书机构证书。</translation>
        </message>
        <message>
            <source>This is this county's own CA; it is trusted already.</source>
            <translation>这是本县的证书机构，无需另行信任。</translation>
        </message>
        <message>
            <source>No trusted county has this fingerprint.</source>
            <translation>没有该指纹的受信任县。</translation>
        </message>
        <message>
            <source>This referral is not waiting for materials.</source>
            <translation>该转介未处于“待补充材料”状态。</translation>
        </message>
        <message>
            <source>The private key cannot be unlocked (wrong key).</source>
            <translation>私钥无法解开（密钥不符）。</translation>
        </message>
        <message>
            <source>Unsupported private key type.</source>
            <translation>私钥类型不受支持。</translation>
        </message>
        <message>
            <source>The key protecting the private key is empty.</source>
            <translation>保护私钥的密钥不能为空。</translation>
        </message>
        <message>
            <source>Wrong password for the county certificate authority.</source>
            <translation>县级证书机构的密码错误。</translation>
        </message>
        <message>
            <source>The certificate authority's password cannot be empty.</source>
            <translation>证书机构密码不能为空。</translation>
        </message>
        <message>
            <source>The county CA certificate has expired.</source>
            <translation>县级证书机构证书已过期。</translation>
        </message>
        <message>
            <source>The certificate authority file cannot be read.</source>
            <translation>证书机构文件无法读取。</translation>
        </message>
        <message>
            <source>The certificate has expired.</source>
            <translation>证书已过期。</translation>
        </message>
        <message>
            <source>The certificate is not valid yet.</source>
            <translation>证书尚未生效。</translation>
        </message>
        <message>
            <source>The certificate file cannot be read.</source>
            <translation>证书文件无法读取。</translation>
        </message>
        <message>
            <source>The certificate does not match this laptop's key.</source>
            <translation>证书与本机保存的密钥不匹配。</translation>
        </message>
        <message>
            <source>The certificate was not issued by the county CA.</source>
            <translation>证书不是由本县证书机构签发的。</translation>
        </message>
        <message>
            <source>The certificate's usage (signing/encryption) is wrong.</source>
            <translation>证书用途不符（签名/加密）。</translation>
        </message>
        <message>
            <source>The revocation list file cannot be read.</source>
            <translation>吊销列表文件无法读取。</translation>
        </message>
        <message>
            <source>The certificate request file cannot be read.</source>
            <translation>证书申请文件无法读取。</translation>
        </message>
        <message>
            <source>The certificate request's signature is invalid.</source>
            <translation>证书申请文件的签名无效。</translation>
        </message>
        <message>
            <source>The certificate request's subject is invalid.</source>
            <translation>证书申请中的名称无效。</translation>
        </message>
        <message>
            <source>The key type in the request is not supported.</source>
            <translation>证书申请中的密钥类型不受支持。</translation>
        </message>
        <message>
            <source>The certificate request has the wrong usage.</source>
            <translation>证书申请的用途不符。</translation>
        </message>
        <message>
            <source>The enrolment file cannot be read.</source>
            <translation>申请文件无法读取。</translation>
        </message>
        <message>
            <source>Signing and encryption must use different keys.</source>
            <translation>签名和加密必须使用不同的密钥。</translation>
        </message>
        <message>
            <source>Invalid validity period.</source>
            <translation>有效期无效。</translation>
        </message>
        <message>
            <source>A time without a time zone was given.</source>
            <translation>时间缺少时区。</translation>
        </message>
        <message>
            <source>Invalid signature box.</source>
            <translation>签名框位置无效。</translation>
        </message>
        <message>
            <source>This signature field is already signed.</source>
            <translation>该签名域已签名。</translation>
        </message>
        <message>
            <source>A count cannot be negative.</source>
            <translation>统计数不能为负数。</translation>
        </message>
        <message>
            <source>The report's columns do not match its header.</source>
            <translation>报表各列与表头不一致。</translation>
        </message>
        <message>
            <source>The PDF cannot be read or is damaged.</source>
            <translation>PDF 文件无法读取或已损坏。</translation>
        </message>
        <message>
            <source>The file is not a valid exchange bundle (truncated, empty or malformed).</source>
            <translation>文件不是有效的数据交换包（已截断、为空或格式错误）。</translation>
        </message>
        <message>
            <source>The bundle was altered or its signature is invalid; refused.</source>
            <translation>数据包已被改动或签名无效，已拒绝导入。</translation>
        </message>
        <message>
            <source>This bundle is not a file transfer addressed to a user of this laptop. This is a township laptop: the townships' bundles are imported only on the county's laptop. Nothing was changed.</source>
            <translation>该数据包不是发给本机用户的档案移交包，无法打开。本机是乡镇电脑：各乡镇导出的数据包只能在县级电脑（县民政局）上导入。未做任何更改。</translation>
        </message>
        <message>
            <source>This bundle is not addressed to this supervisor.</source>
            <translation>该数据包不是发给本机督导的，无法打开。</translation>
        </message>
        <message>
            <source>The author's certificate was not issued by the county CA (or a trusted peer county's CA); refused.</source>
            <translation>数据包作者的证书不是本县证书机构（或已信任的外县证书机构）签发的，已拒绝。</translation>
        </message>
        <message>
            <source>The author's certificate has been revoked; refused.</source>
            <translation>数据包作者的证书已被吊销，已拒绝。</translation>
        </message>
        <message>
            <source>The author's certificate has expired; refused.</source>
            <translation>数据包作者的证书已过期，已拒绝。</translation>
        </message>
        <message>
            <source>The author's certificate is not valid yet; refused.</source>
            <translation>数据包作者的证书尚未生效，已拒绝。</translation>
        </message>
        <message>
            <source>The recipient's certificate is not from the county CA; cannot export to it.</source>
            <translation>接收方证书不是本县证书机构签发的，不能向其导出。</translation>
        </message>
        <message>
            <source>The recipient's certificate is revoked; cannot export to it.</source>
            <translation>接收方证书已被吊销，不能向其导出。</translation>
        </message>
        <message>
            <source>The recipient's certificate has expired; cannot export to it.</source>
            <translation>接收方证书已过期，不能向其导出。</translation>
        </message>
        <message>
            <source>The recipient's certificate is not valid yet.</source>
            <translation>接收方证书尚未生效。</translation>
        </message>
        <message>
            <source>This bundle (no. {sequence}) was already imported or is older than one that was; refused.</source>
            <translation>该数据包（第 {sequence} 号）已经导入过或早于已导入的数据包，拒绝重复导入。</translation>
        </message>
        <message>
            <source>The bundle comes from a newer program (schema {found}); upgrade first.</source>
            <translation>数据包来自更新版本的程序（结构版本 {found}），请先升级本程序。</translation>
        </message>
        <message>
            <source>This is part {part} of a bundle set of {total} parts and cannot be imported on its own. Choose the file without .partNNN in the same folder (the set's list) with every part beside it.</source>
            <translation>这是一个分卷数据包的第 {part} 卷（共 {total} 卷），不能单独导入。请选择同一文件夹中不带 .partNNN 的那个文件（分卷清单），并把所有分卷放在它旁边。</translation>
        </message>
        <message>
            <source>This is the list of a bundle set: import it from its file, with every part beside it.</source>
            <translation>这是分卷数据包的清单：请从文件导入，并把所有分卷放在它旁边。</translation>
        </message>
        <message>
            <source>The bundle set is incomplete: part(s) {parts} of {total} are missing ({files}). Nothing was imported. Copy every part beside the list file and import again.</source>
            <translation>分卷数据包不完整：缺少第 {parts} 卷（共 {total} 卷：{files}）。整套数据包未导入，什么也没有写入。请把所有分卷复制到清单文件旁边后再导入。</translation>
        </message>
        <message>
            <source>The import stopped: the helper process reading the bundle ended unexpectedly (perhaps out of memory). Nothing was written; close other programs and import again.</source>
            <translation>导入中断：读取数据包的辅助进程意外退出（可能是内存不足）。什么也没有写入；请关闭其他程序后再导入。</translation>
        </message>
        <message>
            <source>Part {part} of {total} ({file}) does not match the set's signed list (replaced, truncated, altered, out of order or from another export). The whole set is refused and nothing was written. Copy all files of that export again.</source>
            <translation>分卷数据包第 {part} 卷（共 {total} 卷，{file}）与签名清单不符（被替换、截断、改动、顺序错乱或来自另一次导出）。整套数据包被拒绝，什么也没有写入。请重新复制该导出的全部文件。</translation>
        </message>
        <message>
            <source>Part {part} of {total} of the bundle inflates to about {mb} MB, more than the {limit_mb} MB this laptop accepts in one part. Refused; nothing was written. Ask the sender to export again with the current version of this program.</source>
            <translation>数据包第 {part} 卷（共 {total} 卷）解压后约 {mb} MB，超过本机每卷接受的上限 {limit_mb} MB，已拒绝，什么也没有写入。请让发送方用本程序的当前版本重新导出。</translation>
        </message>
        <message>
            <source>One file's records (with its attachments, if chosen) inflate to about {mb} MB, more than the {limit_mb} MB one part of a bundle may carry. Nothing was exported. Export without attachments, or hand that file's large attachments over separately.</source>
            <translation>有一份档案的记录（连同所选的附件）解压后约 {mb} MB，超过一个数据包分卷允许的 {limit_mb} MB，未导出。请不带附件导出，或把该档案的大附件另行移交。</translation>
        </message>
        <message>
            <source>Unknown bundle format version: {found}.</source>
            <translation>无法识别的数据包格式版本：{found}。</translation>
        </message>
        <message>
            <source>A record in the bundle does not match this program's schema ({record_type}).</source>
            <translation>数据包中的记录结构与本程序不符（{record_type}）。</translation>
        </message>
        <message>
            <source>A record in the bundle breaks a rule ({record_type}); the whole bundle is refused: {rule_text}</source>
            <translation>数据包中有记录违反规定（{record_type}），整个数据包被拒绝：{rule_text}</translation>
        </message>
        <message>
            <source>The bundle refers to files this laptop does not have; import earlier bundles first.</source>
            <translation>数据包引用了本机没有的档案，请先导入更早的数据包。</translation>
        </message>
        <message>
            <source>Cannot read the bundle file.</source>
            <translation>无法读取数据包文件。</translation>
        </message>
        <message>
            <source>The county CA certificate is not installed.</source>
            <translation>尚未安装县级证书机构证书。</translation>
        </message>
        <message>
            <source>The bundle was signed with an encryption certificate; only a signing certificate may sign. Refused.</source>
            <translation>数据包是用加密证书签名的；只有签名证书可以签名，已拒绝。</translation>
        </message>
        <message>
            <source>The bundle inflates beyond the allowed size ({limit_mb} MB); refused.</source>
            <translation>数据包解压后超过允许的大小（{limit_mb} MB），已拒绝。</translation>
        </message>
        <message>
            <source>You have no keys yet: enrol for a certificate first.</source>
            <translation>尚未生成本人的密钥，请先在“证书”中申请证书。</translation>
        </message>
        <message>
            <source>Your certificate is not installed; cannot sign or export.</source>
            <translation>尚未安装本人的证书，不能签名或导出。</translation>
        </message>
        <message>
            <source>The revocation list was not issued by the county CA.</source>
            <translation>吊销列表不是本县证书机构签发的。</translation>
        </message>
        <message>
            <source>This laptop already holds the county CA.</source>
            <translation>本机已有县级证书机构。</translation>
        </message>
        <message>
            <source>This laptop does not hold the county CA.</source>
            <translation>本机没有县级证书机构。</translation>
        </message>
        <message>
            <source>Invalid certificate serial number.</source>
            <translation>证书序列号格式错误。</translation>
        </message>
        <message>
            <source>This CA did not issue that certificate.</source>
            <translation>本证书机构未签发过该证书。</translation>
        </message>
        <message>
            <source>Refused by a rule.</source>
            <translation>违反规定，操作被拒绝。</translation>
        </message>
        <message>
            <source>The registry cannot be used.</source>
            <translation>登记库无法使用。</translation>
        </message>
        <message>
            <source>Cannot unlock.</source>
            <translation>无法解锁。</translation>
        </message>
        <message>
            <source>The operation failed.</source>
            <translation>操作失败。</translation>
        </message>
        <message>
            <source>This registry is open in another window of the program ({dir}). Close that window first, or open it read-only to look only.</source>
            <translation>该登记库已在另一个程序窗口中打开（{dir}）。请先关闭那个窗口；如只需查看，可选择以只读方式打开。</translation>
        </message>
        <message>
            <source>The data folder {dir} is on a read-only disk or USB stick, so nothing can be saved. Copy it to a writable disk, or open it read-only.</source>
            <translation>数据目录 {dir} 所在的磁盘或U盘是只读的，不能保存。请复制到可写的磁盘，或以只读方式打开。</translation>
        </message>
        <message>
            <source>The registry is open read-only; nothing can be saved and the last change was not saved.</source>
            <translation>登记库以只读方式打开，不能保存更改；刚才的操作没有保存。</translation>
        </message>
        <message>
            <source>The disk is full: the registry is open read-only — you can look and print (unsigned) but not save. What you view is noted in reserved space and enters the audit log at the next sign-in once there is space. Free at least {need_mb} MB on the disk of {dir}, then sign in again.</source>
            <translation>磁盘已满：登记库已以只读方式打开——可以查看和打印（不签名），不能保存。查看记录暂存在预留空间，空间恢复后的下一次登录时写入审计日志。请在 {dir} 所在的磁盘上腾出至少 {need_mb} MB 空间，然后重新登录。</translation>
        </message>
        <message>
            <source>The registry is busy: another operation is writing and did not finish within a few seconds. The last change was not saved and the registry is as it was; try again in a moment.</source>
            <translation>登记库正忙：另一项操作正在写入，等了几秒仍未结束。刚才的操作没有保存，登记库保持原样；请稍后重试。</translation>
        </message>
        <message>
            <source>The disk is full: the last change was not saved and the registry is as it was. Free some space and try again.</source>
            <translation>磁盘已满：刚才的操作没有保存，登记库保持原样。请腾出磁盘空间后重试。</translation>
        </message>
        <message>
            <source>The registry in {dir} was interrupted while being created and cannot be used (it holds no data). Initialise it again.</source>
            <translation>目录 {dir} 中的登记库在创建过程中被中断，无法使用（其中没有任何数据）。请重新初始化。</translation>
        </message>
        <message>
            <source>This registry (schema {found}) must be upgraded first, which a read-only open cannot do. Open it normally once.</source>
            <translation>该登记库（结构版本 {found}）需要先升级，只读方式无法打开。请以正常方式打开一次。</translation>
        </message>
        <message>
            <source>Upgrading the registry's schema ({found} → {supported}) failed its consistency check and was undone; the registry is as it was. Contact support.</source>
            <translation>登记库结构升级（{found} → {supported}）未通过一致性检查，已撤销，登记库保持原样。请联系技术支持。</translation>
        </message>
        <message>
            <source>The backup file {file} does not exist.</source>
            <translation>找不到备份文件 {file}。</translation>
        </message>
        <message>
            <source>{file} is not a backup of this program, or is badly damaged.</source>
            <translation>{file} 不是本程序的备份文件，或已严重损坏。</translation>
        </message>
        <message>
            <source>The backup {file} has an unknown format ({found}): it may come from a newer version.</source>
            <translation>备份文件 {file} 的格式（{found}）无法识别：它可能来自更新版本的程序。</translation>
        </message>
        <message>
            <source>The backup {file} was made by a newer version of the program (schema {found}); it is not damaged. Upgrade this program first, then verify or restore it.</source>
            <translation>备份文件 {file} 由更新版本的程序制作（结构版本 {found}），本身并未损坏。请先升级本程序，再验证或恢复。</translation>
        </message>
        <message>
            <source>The backup {file} is damaged ({member} fails its check) and cannot be restored. Use another backup.</source>
            <translation>备份文件 {file} 已损坏（{member} 校验失败），不能用于恢复。请换用另一份备份。</translation>
        </message>
        <message>
            <source>The restore target {dir} is not empty. To overwrite nothing, give a new, empty folder.</source>
            <translation>恢复目标 {dir} 不是空目录。为免覆盖现有数据，请指定一个新的空目录。</translation>
        </message>
        <message>
            <source>File {file_number} cannot be purged yet: only closed files whose retention date ({until}) has passed can be (by this computer's clock and by the latest time the registry recorded before this sign-in).</source>
            <translation>档案 {file_number} 尚不能删除：只有已结案且保存期限（{until}）已到的档案才能永久删除（本机时钟和本次登录前登记库记录到的最晚时间都须已过该日期）。</translation>
        </message>
        <message>
            <source>Warning: this computer's clock ({now} UTC) is behind a time the registry has already recorded ({seen} UTC); the clock may be wrong. Check and correct the date and time; this was recorded in the audit log.</source>
            <translation>注意：本机时钟（{now} UTC）早于登记库已记录到的时间（{seen} UTC），电脑时钟可能有误。请核对并更正日期时间；此情况已记入审计日志。</translation>
        </message>
        <message>
            <source>Note: this computer's clock ({now} UTC) is more than a day ahead of the last use ({seen} UTC). If the date is wrong, correct it; purging files will ask you to confirm the clock.</source>
            <translation>注意：本机时钟（{now} UTC）比上次使用（{seen} UTC）晚了一天以上。如果日期不对，请更正；永久删除档案前需要再次确认时钟。</translation>
        </message>
        <message>
            <source>A recovery key has {length} letters or digits (spaces and dashes are ignored).</source>
            <translation>恢复密钥应为 {length} 个字母或数字（可含空格或短横线）。</translation>
        </message>
        <message>
            <source>The recovery key has a typo (its check characters do not match). Check each group and type it again.</source>
            <translation>恢复密钥有输入错误（校验位不符），请逐组核对后重新输入。</translation>
        </message>
        <message>
            <source>There is no active administrator with that name.</source>
            <translation>没有这位在职的管理员。</translation>
        </message>
        <message>
            <source>Retention period has ended (PIPL art. 47)</source>
            <translation>保存期限已届满（个人信息保护法第四十七条）</translation>
        </message>
        <message>
            <source>Purpose achieved or no longer needed (PIPL art. 47)</source>
            <translation>处理目的已实现或不再必要（个人信息保护法第四十七条）</translation>
        </message>
        <message>
            <source>Consent withdrawn (PIPL art. 47)</source>
            <translation>个人撤回同意（个人信息保护法第四十七条）</translation>
        </message>
        <message>
            <source>Other case set by law or regulation (PIPL art. 47)</source>
            <translation>法律、行政法规规定的其他情形（个人信息保护法第四十七条）</translation>
        </message>
        <message>
            <source>Check-up: all good</source>
            <translation>体检结果：正常</translation>
        </message>
        <message>
            <source>Check-up: usable, with things to attend to</source>
            <translation>体检结果：可以使用，但有需要处理的事项</translation>
        </message>
        <message>
            <source>Check-up: serious problems found; restore from a backup</source>
            <translation>体检结果：发现严重问题，请从备份恢复</translation>
        </message>
        <message>
            <source>Check-up: disk full — free some space (the registry itself is intact; do not restore a backup)</source>
            <translation>体检结果：磁盘已满——请腾出空间（登记库本身完好，不要从备份恢复）</translation>
        </message>
        <message>
            <source>Disk full ({free_mb} MB left): free at least {need_mb} MB. This is not damage: do not restore a backup; once there is space everything works as before.</source>
            <translation>磁盘已满（只剩 {free_mb} MB）：请腾出至少 {need_mb} MB 空间。这不是数据损坏，不要从备份恢复；空间腾出后一切照常。</translation>
        </message>
        <message>
            <source>{count} temporary files or backup drafts left by interrupted operations (all encrypted): they are removed at the next sign-in that can write.</source>
            <translation>{count} 个中断的操作留下的临时文件或备份草稿（均为加密数据）：下次以可写方式登录时自动清除。</translation>
        </message>
        <message>
            <source>The check “{check}” could not be done ({error}). Restore from a backup or contact support.</source>
            <translation>检查“{check}”无法完成（{error}）。请从备份恢复，或联系技术支持。</translation>
        </message>
        <message>
            <source>Key file {file} is missing (the other copy is usable).</source>
            <translation>密钥文件 {file} 不存在（另一份仍可用）。</translation>
        </message>
        <message>
            <source>Key file {file} is damaged (the other copy is usable; it is repaired at the next open).</source>
            <translation>密钥文件 {file} 已损坏（另一份仍可用，下次打开时自动修复）。</translation>
        </message>
        <message>
            <source>The key file and its copy differ (a save was interrupted). Changing any password makes them agree again.</source>
            <translation>密钥文件与其副本不一致（上次保存被中断）。再次修改任一密码即可恢复一致。</translation>
        </message>
        <message>
            <source>Key file intact: {slots} user slots, {recovery} recovery slot(s).</source>
            <translation>密钥文件完好：用户密钥 {slots} 个，恢复密钥 {recovery} 个。</translation>
        </message>
        <message>
            <source>A recovery key is set.</source>
            <translation>已设置恢复密钥。</translation>
        </message>
        <message>
            <source>Encryption check passed: every page is intact.</source>
            <translation>加密校验通过：每个数据页都完好。</translation>
        </message>
        <message>
            <source>Encryption check failed: {pages} page(s) are damaged or tampered with. Restore from a backup.</source>
            <translation>加密校验失败：{pages} 个数据页已损坏或被篡改。请从备份恢复。</translation>
        </message>
        <message>
            <source>Database structure is intact.</source>
            <translation>数据库结构完整。</translation>
        </message>
        <message>
            <source>The database structure check found {problems} problem(s). Restore from a backup.</source>
            <translation>数据库结构检查发现 {problems} 处问题。请从备份恢复。</translation>
        </message>
        <message>
            <source>Schema revision {revision} (current).</source>
            <translation>数据结构版本 {revision}（最新）。</translation>
        </message>
        <message>
            <source>Schema revision {found} is older than this program's {head}: it is upgraded at the next normal open.</source>
            <translation>数据结构版本 {found}，低于本程序的 {head}：下次正常打开时会自动升级。</translation>
        </message>
        <message>
            <source>Schema revision {found} is newer than this program's ({head}). Upgrade the program.</source>
            <translation>数据结构版本 {found} 比本程序（{head}）新，请升级程序。</translation>
        </message>
        <message>
            <source>The database is the latest state recorded on this computer (audit head at entry {recorded}).</source>
            <translation>数据库是本机记录的最新状态（审计记录头第 {recorded} 条）。</translation>
        </message>
        <message>
            <source>The audit head file does not exist yet: it is made at the next writable sign-in.</source>
            <translation>审计记录头文件尚未建立：下次以可写方式登录时建立。</translation>
        </message>
        <message>
            <source>The audit head file audit-head.json is missing: it cannot be confirmed that the database is the latest. It is made again at the next sign-in; if you did not remove it, report it.</source>
            <translation>审计记录头文件 audit-head.json 不见了：无法确认数据库是不是最新的。下次登录时会重建；如果不是您删除的，请报告。</translation>
        </message>
        <message>
            <source>The audit head file audit-head.json is damaged or not written with this registry's key: it is not believed. It is rewritten at the next sign-in; if nobody touched it, report it.</source>
            <translation>审计记录头文件 audit-head.json 已损坏或不是用本登记库的密钥写的：不予采信。下次登录时按当前数据库重写；如果没有人动过它，请报告。</translation>
        </message>
        <message>
            <source>Audit log intact: {entries} entries, hash chain verified.</source>
            <translation>审计日志完整：{entries} 条，哈希链校验通过。</translation>
        </message>
        <message>
            <source>The audit log fails its check from entry {seq} ({problem}): it may have been tampered with. Keep things as they are and report it.</source>
            <translation>审计日志从第 {seq} 条起校验失败（{problem}）：可能被篡改。请保留现状并报告。</translation>
        </message>
        <message>
            <source>The database and the key file belong to different registries.</source>
            <translation>数据库与密钥文件不属于同一个登记库。</translation>
        </message>
        <message>
            <source>Never backed up. Make a backup now (every {limit} days is advised).</source>
            <translation>从未备份。请立即备份（建议每 {limit} 天一次）。</translation>
        </message>
        <message>
            <source>The last backup was {days} days ago, more than the {limit}-day reminder. Back up now.</source>
            <translation>上次备份在 {days} 天前，超过了 {limit} 天的提醒期限。请立即备份。</translation>
        </message>
        <message>
            <source>Last backup {days} days ago (reminder after {limit} days).</source>
            <translation>上次备份在 {days} 天前（提醒期限 {limit} 天）。</translation>
        </message>
        <message>
            <source>{count} active user(s) have no key slot and cannot sign in: an administrator should reset their password.</source>
            <translation>有 {count} 位在职用户没有密钥，无法登录：请管理员为其重设密码。</translation>
        </message>
        <message>
            <source>{count} key slot(s) belong to no user (perhaps an interrupted user creation).</source>
            <translation>密钥文件中有 {count} 个不属于任何用户的密钥（可能是添加用户时被中断）。</translation>
        </message>
        <message>
            <source>{free_mb} MB free on the disk.</source>
            <translation>磁盘剩余空间 {free_mb} MB。</translation>
        </message>
        <message>
            <source>Only {free_mb} MB free on the disk: free some space soon.</source>
            <translation>磁盘剩余空间只有 {free_mb} MB，请尽快腾出空间。</translation>
        </message>
        <message>
            <source>Database {db_mb} MB, write-ahead log {wal_mb} MB.</source>
            <translation>数据库 {db_mb} MB，日志文件 {wal_mb} MB。</translation>
        </message>
        <message>
            <source>The check-up found serious problems (see above).</source>
            <translation>体检发现严重问题（见上），请按提示处理。</translation>
        </message>
        <message>
            <source>The registry is in use in another window of the program.</source>
            <translation>登记库正在另一个程序窗口中使用。</translation>
        </message>
        <message>
            <source>This revocation list is older than the one installed; not installed (it would un-revoke certificates).</source>
            <translation>该吊销列表比本机已安装的更旧，未安装（安装旧列表会使已吊销的证书重新有效）。</translation>
        </message>
        <message>
            <source>The county CA certificate is not installed here: install the certificate file from the county first.</source>
            <translation>本机尚未安装县级证书机构证书：请先安装县民政局签发的证书文件。</translation>
        </message>
        <message>
            <source>The year must be between {min} and {max}.</source>
            <translation>统计年度应在 {min} 至 {max} 年之间。</translation>
        </message>
        <message>
            <source>{cells} hidden values of the statistics could not be fully protected: no report was made. Please contact support.</source>
            <translation>统计表中有 {cells} 个隐匿的数值无法得到充分保护，未生成报表。请联系技术支持。</translation>
        </message>
        <message>
            <source>Invalid period: the first year must be between {min} and {max}, not after the last year, and the period at most {span} years.</source>
            <translation>统计期间无效：起始年度应在 {min} 至 {max} 年之间，不晚于截止年度，且不超过 {span} 年。</translation>
        </message>
        <message>
            <source>The CA name must not be empty and at most {max_length} characters.</source>
            <translation>证书机构名称不能为空，且不超过 {max_length} 个字。</translation>
        </message>
        <message>
            <source>The organization must not be empty and at most {max_length} characters.</source>
            <translation>单位名称不能为空，且不超过 {max_length} 个字。</translation>
        </message>
        <message>
            <source>The county name must not be empty and at most {max_length} characters.</source>
            <translation>县（区）名称不能为空，且不超过 {max_length} 个字。</translation>
        </message>
        <message>
            <source>The township name must not be empty and at most {max_length} characters.</source>
            <translation>乡镇名称不能为空，且不超过 {max_length} 个字。</translation>
        </message>
        <message>
            <source>The name on the certificate must not be empty and at most {max_length} characters.</source>
            <translation>证书上的姓名不能为空，且不超过 {max_length} 个字。</translation>
        </message>
        <message>
            <source>The attachment is too large ({size_mb} MB): at most {max_mb} MB per file. Scan at a lower resolution or split it, then add it again.</source>
            <translation>附件过大（{size_mb} MB）：每个附件不得超过 {max_mb} MB。请降低扫描分辨率或分成几份后再添加。</translation>
        </message>
        <message>
            <source>The file is empty and cannot be attached.</source>
            <translation>文件是空的，不能作为附件。</translation>
        </message>
        <message>
            <source>Only PDF, JPEG, PNG or TIFF files can be attached (judged by content, not by the file name).</source>
            <translation>只能添加 PDF、JPEG、PNG 或 TIFF 文件（按文件内容判断，不看扩展名）。</translation>
        </message>
        <message>
            <source>This PDF cannot be read (damaged or password-protected); it cannot be attached.</source>
            <translation>该 PDF 无法读取（已损坏或设有密码），不能作为附件。</translation>
        </message>
        <message>
            <source>The file to attach cannot be read.</source>
            <translation>无法读取要添加的文件。</translation>
        </message>
        <message>
            <source>The attachment failed its integrity check (damaged); restore it from a backup.</source>
            <translation>附件内容校验失败（已损坏），请从备份恢复。</translation>
        </message>
        <message>
            <source>Confirm the warning before opening an attachment in another program.</source>
            <translation>用其他程序打开附件前须先确认提示。</translation>
        </message>
        <message>
            <source>The ledger cannot be read (only .xlsx and .csv; CSV in UTF-8 or GB18030).</source>
            <translation>台账文件无法读取（仅支持 .xlsx 和 .csv，CSV 须为 UTF-8 或 GB18030 编码）。</translation>
        </message>
        <message>
            <source>The ledger has more than {max} rows; import it in parts.</source>
            <translation>台账超过 {max} 行，请分成几份导入。</translation>
        </message>
        <message>
            <source>No header row or data rows were found in the ledger.</source>
            <translation>台账中没有找到表头或数据行。</translation>
        </message>
        <message>
            <source>The ledger has no name column (or none is mapped to the name); cannot import.</source>
            <translation>台账缺少“姓名”列（或未对应到姓名），无法导入。</translation>
        </message>
        <message>
            <source>The column mapping file is invalid: {detail}</source>
            <translation>列对应文件无效：{detail}</translation>
        </message>
        <message>
            <source>{count} rows of the ledger have errors; nothing was imported (no file was created). Correct them and import again.</source>
            <translation>台账有 {count} 行有错误，整份台账未导入（未建立任何档案）。请更正后重新导入。</translation>
        </message>
        <message>
            <source>The ID number was stored as a number ({cell}); its last digits may be lost: format the column as text and enter it again.</source>
            <translation>身份证号被存成了数字（{cell}），末位或后几位可能已丢失：请把该列设为文本后重新填写。</translation>
        </message>
        <message>
            <source>The date cannot be read ({cell}); write it as 2024-03-15 or 2024年3月15日.</source>
            <translation>日期无法识别（{cell}），请写成 2024-03-15 或 2024年3月15日。</translation>
        </message>
        <message>
            <source>The sex cannot be read ({cell}); enter 男 or 女.</source>
            <translation>性别无法识别（{cell}），请填写“男”或“女”。</translation>
        </message>
        <message>
            <source>Township {township} does not exist in this registry ({cell}).</source>
            <translation>乡镇“{township}”在本登记库中不存在（{cell}）。</translation>
        </message>
        <message>
            <source>Same person as row {other} of the ledger (same ID number).</source>
            <translation>与台账第 {other} 行是同一人（身份证号相同）。</translation>
        </message>
        <message>
            <source>The check code is malformed (it looks like FG1-ABCDEFGH-2-ABCDEFGH).</source>
            <translation>核验码格式不正确（应如 FG1-ABCDEFGH-2-ABCDEFGH）。</translation>
        </message>
        <message>
            <source>No QR code of this program was found in the image. Take a clearer picture, or type the check code from the page footer.</source>
            <translation>图片中没有找到本系统打印的二维码。请拍得更清楚一些，或直接输入页脚的核验码。</translation>
        </message>
        <message>
            <source>The print id collided (very rare); print again.</source>
            <translation>打印编号重复（极少发生），请重新打印。</translation>
        </message>
        <message>
            <source>The image file cannot be read.</source>
            <translation>图片文件无法读取。</translation>
        </message>
        <message>
            <source>Collecting records</source>
            <translation>正在收集记录</translation>
        </message>
        <message>
            <source>Collecting attachments</source>
            <translation>正在收集附件</translation>
        </message>
        <message>
            <source>Exporting part by part (collect, sign, encrypt, write)</source>
            <translation>正在逐卷导出（收集、签名、加密、写入）</translation>
        </message>
        <message>
            <source>Signing and encrypting</source>
            <translation>正在签名并加密</translation>
        </message>
        <message>
            <source>Writing the file</source>
            <translation>正在写入文件</translation>
        </message>
        <message>
            <source>Decrypting and checking the signature</source>
            <translation>正在解密并核对签名</translation>
        </message>
        <message>
            <source>Decrypting, checking and merging part by part</source>
            <translation>正在逐卷解密、核对并合并</translation>
        </message>
        <message>
            <source>Merging records</source>
            <translation>正在合并记录</translation>
        </message>
        <message>
            <source>Checking files and duplicates</source>
            <translation>正在核对档案与重复</translation>
        </message>
        <message>
            <source>Saving</source>
            <translation>正在保存</translation>
        </message>
        <message>
            <source>Copying the database</source>
            <translation>正在复制数据库</translation>
        </message>
        <message>
            <source>Writing the encrypted backup</source>
            <translation>正在写入加密备份</translation>
        </message>
        <message>
            <source>Reading and checking the backup</source>
            <translation>正在读取并核对备份</translation>
        </message>
        <message>
            <source>Checking the password</source>
            <translation>正在验证密码</translation>
        </message>
        <message>
            <source>Checking the restored database</source>
            <translation>正在检查恢复的数据库</translation>
        </message>
        <message>
            <source>Finishing the restore</source>
            <translation>正在完成恢复</translation>
        </message>
        <message>
            <source>Finding the records to delete</source>
            <translation>正在查找要删除的记录</translation>
        </message>
        <message>
            <source>Deleting</source>
            <translation>正在删除</translation>
        </message>
        <message>
            <source>Clearing leftover data</source>
            <translation>正在清除残留数据</translation>
        </message>
    </context>
    <context>
        <name>CoreRecords</name>
        <message>
            <source>file</source>
            <translation>档案</translation>
        </message>
        <message>
            <source>follow-up record</source>
            <translation>回访记录</translation>
        </message>
        <message>
            <source>service record</source>
            <translation>救助服务记录</translation>
        </message>
        <message>
            <source>legal-aid referral</source>
            <translation>法律援助转介</translation>
        </message>
        <message>
            <source>referral progress</source>
            <translation>转介进展</translation>
        </message>
        <message>
            <source>placement record</source>
            <translation>安置记录</translation>
        </message>
        <message>
            <source>consent record</source>
            <translation>同意记录</translation>
        </message>
        <message>
            <source>guardian record</source>
            <translation>监护人记录</translation>
        </message>
        <message>
            <source>buyer household record</source>
            <translation>收买家庭记录</translation>
        </message>
        <message>
            <source>attachment</source>
            <translation>附件</translation>
        </message>
        <message>
            <source>case</source>
            <translation>案件</translation>
        </message>
        <message>
            <source>user account</source>
            <translation>用户账户</translation>
        </message>
        <message>
            <source>township</source>
            <translation>乡镇</translation>
        </message>
        <message>
            <source>the registry settings</source>
            <translation>登记库设置</translation>
        </message>
        <message>
            <source>this registry</source>
            <translation>本登记库</translation>
        </message>
        <message>
            <source>an exchange bundle</source>
            <translation>数据交换包</translation>
        </message>
        <message>
            <source>a report</source>
            <translation>报表</translation>
        </message>
        <message>
            <source>a printout</source>
            <translation>打印件</translation>
        </message>
        <message>
            <source>a ledger</source>
            <translation>台账</translation>
        </message>
        <message>
            <source>the county CA</source>
            <translation>县级证书机构</translation>
        </message>
        <message>
            <source>a revocation list</source>
            <translation>证书吊销列表</translation>
        </message>
        <message>
            <source>review flag</source>
            <translation>复核标记</translation>
        </message>
    </context>
    <context>
        <name>DashboardPage</name>
        <message>
            <source>Refresh</source>
            <translation>刷新</translation>
        </message>
        <message>
            <source>Follow-up visits overdue</source>
            <translation>回访已逾期</translation>
        </message>
        <message>
            <source>Visits due within 7 days</source>
            <translation>7日内到期的回访</translation>
        </message>
        <message>
            <source>Services past their due date</source>
            <translation>服务已超期</translation>
        </message>
        <message>
            <source>Open files</source>
            <translation>在档档案</translation>
        </message>
        <message>
            <source>Legal-aid referrals waiting for a decision</source>
            <translation>法律援助等待答复</translation>
        </message>
        <message>
            <source>Legal-aid referrals past the legal deadline</source>
            <translation>法律援助超过法定期限</translation>
        </message>
        <message>
            <source>Persons whose identity is unknown</source>
            <translation>身份信息不明确人员</translation>
        </message>
        <message>
            <source>Open files with no planned visit</source>
            <translation>没有计划回访的在档档案</translation>
        </message>
        <message>
            <source>No contact for %1 days</source>
            <translation>超过 %1 天未联系</translation>
        </message>
        <message>
            <source>School-age children: no school service or schooling unknown</source>
            <translation>适龄儿童：未安排回归学校或就学情况不明</translation>
        </message>
        <message>
            <source>Turning 16 within 30 days: training becomes possible</source>
            <translation>30日内满16周岁：可参加技能培训</translation>
        </message>
        <message>
            <source>Turning 18 within 30 days: own consent replaces the guardian's</source>
            <translation>30日内满18周岁：由本人同意取代监护人同意</translation>
        </message>
        <message>
            <source>Unidentified for more than %1 days (hukou registration)</source>
            <translation>身份不明超过 %1 天（应办理落户）</translation>
        </message>
        <message>
            <source>Urgent legal-aid referrals (art. 44)</source>
            <translation>紧急法律援助转介（第四十四条）</translation>
        </message>
        <message>
            <source>Files with records to review (a later change or a clashing file number)</source>
            <translation>有待复核记录的档案（后来的修改或档案编号重复）</translation>
        </message>
        <message>
            <source>File number</source>
            <translation>档案编号</translation>
        </message>
        <message>
            <source>Name</source>
            <translation>姓名</translation>
        </message>
        <message>
            <source>Since</source>
            <translation>起始日期</translation>
        </message>
        <message>
            <source>Days</source>
            <translation>天数</translation>
        </message>
        <message>
            <source>Township</source>
            <translation>乡镇</translation>
        </message>
        <message>
            <source>Records to review</source>
            <translation>待复核记录</translation>
        </message>
        <message>
            <source>Placement</source>
            <translation>安置</translation>
        </message>
        <message>
            <source>Files</source>
            <translation>档案数</translation>
        </message>
        <message>
            <source>Longest stays without identified identity (for hukou registration)</source>
            <translation>身份不明、滞留时间最长的人员（落户）</translation>
        </message>
        <message>
            <source>Files with records to review</source>
            <translation>有待复核记录的档案</translation>
        </message>
        <message>
            <source>Open files by placement</source>
            <translation>在档档案的安置状况</translation>
        </message>
        <message>
            <source>Workbench</source>
            <translation>工作台</translation>
        </message>
        <message>
            <source>Nobody forgotten</source>
            <translation>无人遗漏</translation>
        </message>
        <message>
            <source>The workbench could not be computed.</source>
            <translation>无法统计工作台数据。</translation>
        </message>
        <message>
            <source>The %1 annual report to the joint-conference office is due by %2: Reports → Annual statistical report.</source>
            <translation>%1 年度工作情况须于 %2 前报送县反拐工作联席会议办公室：报表 → 年度工作情况统计表。</translation>
        </message>
        <message>
            <source>Open reports</source>
            <translation>打开报表</translation>
        </message>
        <message>
            <source>Today: %1</source>
            <translation>今天：%1</translation>
        </message>
        <message>
            <source>Legal-aid referrals waiting for a decision for more than %1 days</source>
            <translation>法律援助等待答复超过 %1 天</translation>
        </message>
        <message>
            <source>No placement recorded</source>
            <translation>尚无安置记录</translation>
        </message>
    </context>
    <context>
        <name>Deadlines</name>
        <message>
            <source>decision by %1</source>
            <translation>应于 %1 前作出决定</translation>
        </message>
        <message>
            <source>lawyer by %1</source>
            <translation>应于 %1 前指派律师</translation>
        </message>
        <message>
            <source>waiting for materials (clock paused)</source>
            <translation>等待补充材料（期限暂停）</translation>
        </message>
        <message>
            <source>objection possible (Legal Aid Law art. 49)</source>
            <translation>可提出异议（法律援助法第四十九条）</translation>
        </message>
        <message>
            <source>objection reviewed by %1</source>
            <translation>异议应于 %1 前审查完毕</translation>
        </message>
        <message>
            <source>(overdue)</source>
            <translation>（已超期）</translation>
        </message>
        <message>
            <source>URGENT (art. 44)</source>
            <translation>紧急（第四十四条）</translation>
        </message>
    </context>
    <context>
        <name>DeleteFileDialog</name>
        <message>
            <source>Delete a file entered by mistake</source>
            <translation>删除误建档案</translation>
        </message>
        <message>
            <source>The file and everything on it are deleted for good, with their history. Only for a file entered by mistake, within %1 days of its creation; otherwise close it with a reason.</source>
            <translation>档案及其全部记录和修改历史将被彻底删除。仅适用于建档后 %1 天内发现的误建档案；其他情况请以适当理由结案。</translation>
        </message>
        <message>
            <source>For example: entered twice; the duplicate is file …</source>
            <translation>例如：重复录入，重复的档案编号为……</translation>
        </message>
        <message>
            <source>Delete for good</source>
            <translation>彻底删除</translation>
        </message>
    </context>
    <context>
        <name>Enum.AuditAction</name>
        <message>
            <source>Create</source>
            <translation>新建</translation>
        </message>
        <message>
            <source>Update</source>
            <translation>修改</translation>
        </message>
        <message>
            <source>Delete</source>
            <translation>删除</translation>
        </message>
        <message>
            <source>Read</source>
            <translation>查阅</translation>
        </message>
        <message>
            <source>Reveal</source>
            <translation>查看完整信息</translation>
        </message>
        <message>
            <source>Print</source>
            <translation>打印</translation>
        </message>
        <message>
            <source>Export</source>
            <translation>导出</translation>
        </message>
        <message>
            <source>Import</source>
            <translation>导入</translation>
        </message>
        <message>
            <source>Login</source>
            <translation>登录</translation>
        </message>
        <message>
            <source>Login Failed</source>
            <translation>登录失败</translation>
        </message>
        <message>
            <source>Logout</source>
            <translation>退出登录</translation>
        </message>
        <message>
            <source>User Admin</source>
            <translation>用户管理</translation>
        </message>
        <message>
            <source>Consent Override</source>
            <translation>未经同意的例外处理</translation>
        </message>
        <message>
            <source>Purge</source>
            <translation>到期销毁</translation>
        </message>
        <message>
            <source>Backup</source>
            <translation>备份</translation>
        </message>
        <message>
            <source>Restore</source>
            <translation>恢复</translation>
        </message>
        <message>
            <source>Key Admin</source>
            <translation>密钥管理</translation>
        </message>
        <message>
            <source>Demo</source>
            <translation>演示数据</translation>
        </message>
    </context>
    <context>
        <name>Enum.ClosureReason</name>
        <message>
            <source>Repatriated</source>
            <translation>安全送返（境外）</translation>
        </message>
        <message>
            <source>Transferred</source>
            <translation>转出至其他地区</translation>
        </message>
        <message>
            <source>Merged Duplicate</source>
            <translation>并入重复档案</translation>
        </message>
        <message>
            <source>Formal</source>
            <translation>正式结档（旧）</translation>
        </message>
        <message>
            <source>Death</source>
            <translation>死亡</translation>
        </message>
        <message>
            <source>Returned Home</source>
            <translation>回归家庭且生活稳定</translation>
        </message>
        <message>
            <source>Other</source>
            <translation>其他（须说明）</translation>
        </message>
    </context>
    <context>
        <name>Enum.ConsentGiver</name>
        <message>
            <source>Self</source>
            <translation>本人</translation>
        </message>
        <message>
            <source>Guardian</source>
            <translation>监护人</translation>
        </message>
    </context>
    <context>
        <name>Enum.ConsentScope</name>
        <message>
            <source>Referral</source>
            <translation>转介</translation>
        </message>
        <message>
            <source>Sharing</source>
            <translation>信息共享</translation>
        </message>
        <message>
            <source>Statistics</source>
            <translation>纳入统计</translation>
        </message>
    </context>
    <context>
        <name>Enum.DueState</name>
        <message>
            <source>Done</source>
            <translation>已完成</translation>
        </message>
        <message>
            <source>Overdue</source>
            <translation>已逾期</translation>
        </message>
        <message>
            <source>Due Soon</source>
            <translation>即将到期</translation>
        </message>
        <message>
            <source>Scheduled</source>
            <translation>已排期</translation>
        </message>
        <message>
            <source>Cancelled</source>
            <translation>已取消</translation>
        </message>
        <message>
            <source>None</source>
            <translation>未排期</translation>
        </message>
    </context>
    <context>
        <name>Enum.FileStatus</name>
        <message>
            <source>Open</source>
            <translation>在档</translation>
        </message>
        <message>
            <source>Closed</source>
            <translation>已结档</translation>
        </message>
    </context>
    <context>
        <name>Enum.FollowUpMethod</name>
        <message>
            <source>Home Visit</source>
            <translation>入户走访</translation>
        </message>
        <message>
            <source>Phone</source>
            <translation>电话回访</translation>
        </message>
        <message>
            <source>School</source>
            <translation>学校回访</translation>
        </message>
        <message>
            <source>Workplace</source>
            <translation>工作单位回访</translation>
        </message>
        <message>
            <source>Other</source>
            <translation>其他方式</translation>
        </message>
    </context>
    <context>
        <name>Enum.FollowUpStatus</name>
        <message>
            <source>Planned</source>
            <translation>待回访</translation>
        </message>
        <message>
            <source>Done</source>
            <translation>已回访</translation>
        </message>
        <message>
            <source>Cancelled</source>
            <translation>已取消</translation>
        </message>
    </context>
    <context>
        <name>Enum.IdentityStatus</name>
        <message>
            <source>Known</source>
            <translation>身份已查明</translation>
        </message>
        <message>
            <source>Unknown</source>
            <translation>身份信息不明确</translation>
        </message>
    </context>
    <context>
        <name>Enum.Installation</name>
        <message>
            <source>Township laptop</source>
            <translation>乡镇电脑</translation>
        </message>
        <message>
            <source>County laptop</source>
            <translation>县级电脑</translation>
        </message>
    </context>
    <context>
        <name>Enum.PlacementState</name>
        <message>
            <source>Temporary Shelter</source>
            <translation>救助管理机构临时安置</translation>
        </message>
        <message>
            <source>Family Tracing</source>
            <translation>寻亲中</translation>
        </message>
        <message>
            <source>Returned To Birth Parents</source>
            <translation>送还亲生父母</translation>
        </message>
        <message>
            <source>Welfare Institution</source>
            <translation>儿童福利机构或未成年人救助保护机构安置</translation>
        </message>
        <message>
            <source>Returned Home</source>
            <translation>返乡（回归家庭和社区）</translation>
        </message>
        <message>
            <source>Working Elsewhere</source>
            <translation>异地就业</translation>
        </message>
        <message>
            <source>Hukou Registered</source>
            <translation>已落户</translation>
        </message>
        <message>
            <source>Repatriated</source>
            <translation>外籍受害人已安全送返</translation>
        </message>
        <message>
            <source>Family Care</source>
            <translation>亲属或家庭寄养</translation>
        </message>
    </context>
    <context>
        <name>Enum.PurgeReason</name>
        <message>
            <source>Retention period ended</source>
            <translation>保存期限已届满</translation>
        </message>
        <message>
            <source>Purpose achieved</source>
            <translation>处理目的已实现</translation>
        </message>
        <message>
            <source>Consent withdrawn</source>
            <translation>本人撤回同意</translation>
        </message>
        <message>
            <source>Other legal grounds</source>
            <translation>法律法规规定的其他情形</translation>
        </message>
    </context>
    <context>
        <name>Enum.ReferralMatter</name>
        <message>
            <source>Compensation</source>
            <translation>赔偿</translation>
        </message>
        <message>
            <source>Custody</source>
            <translation>抚养和监护</translation>
        </message>
        <message>
            <source>Civil Rights</source>
            <translation>民事权益</translation>
        </message>
        <message>
            <source>Criminal Incidental Civil</source>
            <translation>刑事附带民事诉讼</translation>
        </message>
        <message>
            <source>Hukou</source>
            <translation>户籍</translation>
        </message>
        <message>
            <source>Other</source>
            <translation>其他事项</translation>
        </message>
    </context>
    <context>
        <name>Enum.ReferralStatus</name>
        <message>
            <source>Referred</source>
            <translation>已转介</translation>
        </message>
        <message>
            <source>Accepted</source>
            <translation>已受理</translation>
        </message>
        <message>
            <source>Declined</source>
            <translation>不予援助</translation>
        </message>
        <message>
            <source>Lawyer Assigned</source>
            <translation>已指派律师</translation>
        </message>
        <message>
            <source>Concluded</source>
            <translation>已办结</translation>
        </message>
        <message>
            <source>Revoked</source>
            <translation>已撤回</translation>
        </message>
        <message>
            <source>Materials Requested</source>
            <translation>待补充材料</translation>
        </message>
        <message>
            <source>Terminated</source>
            <translation>已终止援助</translation>
        </message>
        <message>
            <source>Objected</source>
            <translation>已提出异议</translation>
        </message>
    </context>
    <context>
        <name>Enum.Role</name>
        <message>
            <source>Admin</source>
            <translation>系统管理员</translation>
        </message>
        <message>
            <source>Caseworker</source>
            <translation>乡镇民政干部</translation>
        </message>
        <message>
            <source>Supervisor</source>
            <translation>县级民政督导</translation>
        </message>
    </context>
    <context>
        <name>Enum.ServiceStatus</name>
        <message>
            <source>Planned</source>
            <translation>计划中</translation>
        </message>
        <message>
            <source>In Progress</source>
            <translation>进行中</translation>
        </message>
        <message>
            <source>Done</source>
            <translation>已完成</translation>
        </message>
        <message>
            <source>Cancelled</source>
            <translation>已取消</translation>
        </message>
    </context>
    <context>
        <name>Enum.ServiceType</name>
        <message>
            <source>Temporary Assistance</source>
            <translation>临时性帮扶救助</translation>
        </message>
        <message>
            <source>Family Tracing</source>
            <translation>寻亲</translation>
        </message>
        <message>
            <source>Hukou Registration</source>
            <translation>落户</translation>
        </message>
        <message>
            <source>Medical</source>
            <translation>医疗救治和心理疏导</translation>
        </message>
        <message>
            <source>Rehabilitation</source>
            <translation>康复</translation>
        </message>
        <message>
            <source>Return To School</source>
            <translation>回归学校</translation>
        </message>
        <message>
            <source>Vocational Training</source>
            <translation>技能培训和就业</translation>
        </message>
        <message>
            <source>Return To Family</source>
            <translation>回归家庭和社区</translation>
        </message>
        <message>
            <source>Continuing Support</source>
            <translation>持续帮扶</translation>
        </message>
        <message>
            <source>Social Assistance</source>
            <translation>纳入社会救助</translation>
        </message>
        <message>
            <source>Legal Aid</source>
            <translation>法律援助</translation>
        </message>
    </context>
    <context>
        <name>Enum.Sex</name>
        <message>
            <source>Female</source>
            <translation>女</translation>
        </message>
        <message>
            <source>Male</source>
            <translation>男</translation>
        </message>
        <message>
            <source>Unknown</source>
            <translation>不详</translation>
        </message>
    </context>
    <context>
        <name>ExchangePage</name>
        <message>
            <source>this laptop</source>
            <translation>本机</translation>
        </message>
        <message>
            <source>a laptop not known here yet</source>
            <translation>本机尚不认识的电脑</translation>
        </message>
        <message>
            <source>%1's laptop</source>
            <translation>%1的电脑</translation>
        </message>
        <message>
            <source>(file deleted)</source>
            <translation>（档案已删除）</translation>
        </message>
        <message>
            <source>yes</source>
            <translation>是</translation>
        </message>
        <message>
            <source>no</source>
            <translation>否</translation>
        </message>
        <message>
            <source>Data exchange</source>
            <translation>数据交换</translation>
        </message>
        <message>
            <source>Townships export encrypted, signed bundles on a USB stick; the county supervisor imports them. Nothing leaves the laptop any other way.</source>
            <translation>乡镇将加密、签名的数据包导出到U盘，由县级督导导入。除此之外，任何数据都不离开本机。</translation>
        </message>
        <message>
            <source>Export</source>
            <translation>导出</translation>
        </message>
        <message>
            <source>Import</source>
            <translation>导入</translation>
        </message>
        <message>
            <source>Conflicts</source>
            <translation>冲突</translation>
        </message>
        <message>
            <source>Possible duplicates</source>
            <translation>疑似重复</translation>
        </message>
        <message>
            <source>Past imports</source>
            <translation>导入记录</translation>
        </message>
        <message>
            <source>Delivery and receipts</source>
            <translation>送达与回执</translation>
        </message>
        <message>
            <source>This laptop: %1. It imports the townships' bundles, reviews them and writes the receipts; townships export on their own laptops.</source>
            <translation>本机：%1。在本机导入各乡镇的数据包、复核并出具回执；各乡镇在自己的电脑上导出。</translation>
        </message>
        <message>
            <source>This laptop: %1. It exports to the county and takes in the county's receipts; bundles are imported on the county's laptop.</source>
            <translation>本机：%1。在本机向县里导出数据包、接收县里的回执；数据包在县级电脑上导入。</translation>
        </message>
        <message>
            <source>Conflicts (%1)</source>
            <translation>冲突（%1）</translation>
        </message>
        <message>
            <source>Possible duplicates (%1)</source>
            <translation>疑似重复（%1）</translation>
        </message>
        <message>
            <source>1. Put the USB stick from the county in the laptop and choose the supervisor's certificate (a .crt or .pem file).
2. Choose what to send and click “Export to a file…”: the bundle is encrypted so that only that supervisor can open it, and signed with your certificate.
3. Take the .p7m file to the county. Each export only sends what changed since the last one.</source>
            <translation>1. 插入县里的U盘，选择督导的证书（.crt 或 .pem 文件）。
2. 选择要报送的内容，点击“导出到文件…”：数据包经过加密，只有这位督导能打开，并用您的证书签名。
3. 把 .p7m 文件交到县里。每次导出只包含上次以来变动的内容。</translation>
        </message>
        <message>
            <source>No certificate chosen</source>
            <translation>尚未选择证书</translation>
        </message>
        <message>
            <source>Choose certificate…</source>
            <translation>选择证书…</translation>
        </message>
        <message>
            <source>Supervisor's certificate</source>
            <translation>督导的证书</translation>
        </message>
        <message>
            <source>Statistics only (counts, no personal data)</source>
            <translation>仅统计数字（不含个人信息）</translation>
        </message>
        <message>
            <source>Year</source>
            <translation>年度</translation>
        </message>
        <message>
            <source>Content</source>
            <translation>内容</translation>
        </message>
        <message>
            <source>Also send the files' attachments (scans, photos)</source>
            <translation>同时发送这些档案的附件（扫描件、照片）</translation>
        </message>
        <message>
            <source>Also resend everything the supervisor has not confirmed</source>
            <translation>补发督导尚未确认收到的全部变更</translation>
        </message>
        <message>
            <source>Use this when the county reports missing bundles: the export then carries every change since the supervisor's last receipt.</source>
            <translation>县里报告缺少数据包时勾选：本次导出将包含督导上次回执之后的全部变更。</translation>
        </message>
        <message>
            <source>Export to a file…</source>
            <translation>导出到文件…</translation>
        </message>
        <message>
            <source>The supervisor's certificate</source>
            <translation>督导的证书</translation>
        </message>
        <message>
            <source>Certificates (*.crt *.pem *.cer)</source>
            <translation>证书 (*.crt *.pem *.cer)</translation>
        </message>
        <message>
            <source>Save the bundle</source>
            <translation>保存数据包</translation>
        </message>
        <message>
            <source>Bundles (*.p7m)</source>
            <translation>数据包 (*.p7m)</translation>
        </message>
        <message>
            <source>Choose the supervisor's certificate first.</source>
            <translation>请先选择督导的证书。</translation>
        </message>
        <message>
            <source>The certificate file cannot be read.</source>
            <translation>无法读取证书文件。</translation>
        </message>
        <message>
            <source>Exporting…</source>
            <translation>正在导出…</translation>
        </message>
        <message>
            <source>statistics</source>
            <translation>统计</translation>
        </message>
        <message>
            <source>records</source>
            <translation>档案记录</translation>
        </message>
        <message>
            <source>Bundle no. %1 saved to %2.</source>
            <translation>第 %1 号数据包已保存到 %2。</translation>
        </message>
        <message>
            <source>Bundle no. %1 (%2)
Records: %3
Deletions: %4</source>
            <translation>第 %1 号数据包（%2）
记录：%3
删除：%4</translation>
        </message>
        <message>
            <source>Choose a bundle (.p7m) from a township. It is checked and described first — nothing is written until you click “Import”. A refused bundle changes nothing.</source>
            <translation>选择乡镇报送的数据包（.p7m）。先核验并显示其内容——点击“导入”之前不会写入任何数据。被拒绝的数据包不会改动任何内容。</translation>
        </message>
        <message>
            <source>No bundle chosen</source>
            <translation>尚未选择数据包</translation>
        </message>
        <message>
            <source>Choose bundle…</source>
            <translation>选择数据包…</translation>
        </message>
        <message>
            <source>Choose a bundle</source>
            <translation>选择数据包</translation>
        </message>
        <message>
            <source>Bundles (*.p7m);;All files (*)</source>
            <translation>数据包 (*.p7m);;所有文件 (*)</translation>
        </message>
        <message>
            <source>Checking the bundle…</source>
            <translation>正在核验数据包…</translation>
        </message>
        <message>
            <source>Signature and sender verified.</source>
            <translation>签名和发送人已核验。</translation>
        </message>
        <message>
            <source>Kind: %1</source>
            <translation>类型：%1</translation>
        </message>
        <message>
            <source>Bundle no.: %1</source>
            <translation>数据包编号：%1</translation>
        </message>
        <message>
            <source>Made on: %1</source>
            <translation>生成时间：%1</translation>
        </message>
        <message>
            <source>From: %1</source>
            <translation>来自：%1</translation>
        </message>
        <message>
            <source>Signed by: %1</source>
            <translation>签名人：%1</translation>
        </message>
        <message>
            <source>Contains: %1</source>
            <translation>包含：%1</translation>
        </message>
        <message>
            <source>Deletions: %1</source>
            <translation>删除：%1</translation>
        </message>
        <message>
            <source>Warning: %1 earlier bundle(s) from this laptop were never imported.</source>
            <translation>注意：这台电脑此前有 %1 个数据包尚未导入。</translation>
        </message>
        <message>
            <source>Refused: nothing was imported.</source>
            <translation>已拒绝：未导入任何数据。</translation>
        </message>
        <message>
            <source>Importing…</source>
            <translation>正在导入…</translation>
        </message>
        <message>
            <source>Imported bundle no. %1.
Added: %2
Updated: %3
Deleted: %4
Conflicts to review: %5
Possible duplicates to review: %6</source>
            <translation>已导入第 %1 号数据包。
新增：%2
更新：%3
删除：%4
待处理冲突：%5
待核查疑似重复：%6</translation>
        </message>
        <message>
            <source>Bundle imported.</source>
            <translation>数据包已导入。</translation>
        </message>
        <message>
            <source>Import anyway</source>
            <translation>仍然导入</translation>
        </message>
        <message>
            <source>The county writes a signed receipt of everything it holds and gives it to the townships with the USB stick. A township takes it in here: it then knows which of its changes have arrived, and “Also resend everything the supervisor has not confirmed” on the Export tab sends the rest.</source>
            <translation>县里生成一份签名回执，写明已收到的全部数据，随U盘交给各乡镇。乡镇在这里导入回执后，就知道本机哪些变更已经送达；“导出”页勾选“补发督导尚未确认收到的全部变更”即可补发其余部分。</translation>
        </message>
        <message>
            <source>Write a receipt for the townships…</source>
            <translation>为各乡镇生成回执…</translation>
        </message>
        <message>
            <source>Take in the supervisor's receipt…</source>
            <translation>导入督导的回执…</translation>
        </message>
        <message>
            <source>Save the receipt</source>
            <translation>保存回执</translation>
        </message>
        <message>
            <source>Receipts (*.p7s)</source>
            <translation>回执 (*.p7s)</translation>
        </message>
        <message>
            <source>Writing the receipt…</source>
            <translation>正在生成回执…</translation>
        </message>
        <message>
            <source>The receipt file cannot be written there. Choose another place.</source>
            <translation>无法在该位置写入回执文件，请换一个位置。</translation>
        </message>
        <message>
            <source>Signed receipt saved to %1. Give it to the townships with their USB stick.</source>
            <translation>签名回执已保存到 %1。请随U盘交给各乡镇。</translation>
        </message>
        <message>
            <source>The supervisor's receipt</source>
            <translation>督导的回执</translation>
        </message>
        <message>
            <source>Receipts (*.p7s);;All files (*)</source>
            <translation>回执 (*.p7s);;所有文件 (*)</translation>
        </message>
        <message>
            <source>The receipt file cannot be read.</source>
            <translation>无法读取回执文件。</translation>
        </message>
        <message>
            <source>Reading the receipt…</source>
            <translation>正在导入回执…</translation>
        </message>
        <message>
            <source>Receipt taken in: the supervisor confirms holding this laptop's changes 1–%1.</source>
            <translation>回执已导入：督导确认已收到本机第 1–%1 号变更。</translation>
        </message>
        <message>
            <source>Nothing has been sent or received on this laptop yet: receipts start with the first bundle (the county writes them after importing; a township takes them in after exporting).</source>
            <translation>本机还没有发出或收到过数据包：有了第一个数据包才有回执（县里导入后出具回执，乡镇导出后收取回执）。</translation>
        </message>
        <message>
            <source>the supervisor</source>
            <translation>督导</translation>
        </message>
        <message>
            <source>To %1: bundles 1–%2 sent; the supervisor has confirmed changes up to no. %3.</source>
            <translation>发往 %1：已发出第 1–%2 号数据包；督导已确认收到第 %3 号及以前的变更。</translation>
        </message>
        <message>
            <source>Last receipt: %1.</source>
            <translation>上次回执：%1。</translation>
        </message>
        <message>
            <source>No receipt from the supervisor yet.</source>
            <translation>尚无督导回执。</translation>
        </message>
        <message>
            <source>Records not yet sent: %1; not yet confirmed: %2.</source>
            <translation>尚未发出的记录 %1 条；尚未确认收到的记录 %2 条。</translation>
        </message>
        <message>
            <source>By the last receipt the county lacks %1 record(s), has an older version of %2, and %3 deletion(s) have not arrived.</source>
            <translation>按上次回执核对：县里缺少 %1 条记录，%2 条是旧版本，%3 条删除尚未送达。</translation>
        </message>
        <message>
            <source>Many differences (at least %1): resend everything not confirmed.</source>
            <translation>差异较多（至少 %1 处）：请补发尚未确认收到的全部变更。</translation>
        </message>
        <message>
            <source>To send them again, export with “Also resend everything the supervisor has not confirmed”.</source>
            <translation>如需补发，请在导出时勾选“补发督导尚未确认收到的全部变更”。</translation>
        </message>
        <message>
            <source>From %1: bundles %2 imported; changes held without a gap up to no. %3.</source>
            <translation>收自%1：已导入第 %2 号数据包；第 %3 号及以前的变更已完整收到。</translation>
        </message>
        <message>
            <source>  Changes %1–%2 are missing: ask that township to export again with “Also resend everything the supervisor has not confirmed”.</source>
            <translation>  缺少第 %1–%2 号变更：请该乡镇导出时勾选“补发督导尚未确认收到的全部变更”。</translation>
        </message>
        <message>
            <source>From a laptop with an older program: %1 bundle(s), the last no. %2.</source>
            <translation>收自一台旧版程序的电脑：%1 个数据包，最后第 %2 号。</translation>
        </message>
        <message>
            <source>Nothing sent or received yet.</source>
            <translation>尚未发出或收到任何数据包。</translation>
        </message>
        <message>
            <source>The same field was changed here and on the township laptop since the last exchange. The local value is kept until you choose. Double-click a file's conflict to open the file.</source>
            <translation>自上次交换以来，同一项内容在本机和乡镇电脑上都被修改过。在您选择之前，保留本机的值。双击档案的冲突可打开该档案。</translation>
        </message>
        <message>
            <source>Record</source>
            <translation>记录</translation>
        </message>
        <message>
            <source>Imported file</source>
            <translation>导入的档案</translation>
        </message>
        <message>
            <source>File already here</source>
            <translation>本机已有的档案</translation>
        </message>
        <message>
            <source>Field</source>
            <translation>项目</translation>
        </message>
        <message>
            <source>Value here</source>
            <translation>本机的值</translation>
        </message>
        <message>
            <source>Incoming value</source>
            <translation>报送的值</translation>
        </message>
        <message>
            <source>From</source>
            <translation>来自</translation>
        </message>
        <message>
            <source>Keep the value here</source>
            <translation>保留本机的值</translation>
        </message>
        <message>
            <source>Take the incoming value</source>
            <translation>采用报送的值</translation>
        </message>
        <message>
            <source>The values are masked. To compare them in full, double-click to open the file and use “Show full identity” (recorded in the audit log).</source>
            <translation>两边的值已隐去。如需比较完整内容，请双击打开档案，点击“查看完整信息”（记入审计日志）。</translation>
        </message>
        <message>
            <source>No conflicts: every imported change could be applied.</source>
            <translation>没有冲突：导入的变更都已直接采用。</translation>
        </message>
        <message>
            <source>Conflict resolved.</source>
            <translation>冲突已处理。</translation>
        </message>
        <message>
            <source>Two files that may be the same person. Double-click a row to open both files; then confirm or dismiss.</source>
            <translation>两份档案可能是同一个人。双击一行可打开这两份档案，然后确认或排除。</translation>
        </message>
        <message>
            <source>File</source>
            <translation>档案</translation>
        </message>
        <message>
            <source>Why</source>
            <translation>原因</translation>
        </message>
        <message>
            <source>Flagged on</source>
            <translation>标记时间</translation>
        </message>
        <message>
            <source>Not the same person (dismiss)</source>
            <translation>不是同一人（排除）</translation>
        </message>
        <message>
            <source>Same person (confirm)</source>
            <translation>是同一人（确认）</translation>
        </message>
        <message>
            <source>No possible duplicates to review.</source>
            <translation>没有待复核的疑似重复档案。</translation>
        </message>
        <message>
            <source>Review saved.</source>
            <translation>核查结果已保存。</translation>
        </message>
        <message>
            <source>Imported on</source>
            <translation>导入时间</translation>
        </message>
        <message>
            <source>Bundle no.</source>
            <translation>数据包编号</translation>
        </message>
        <message>
            <source>Kind</source>
            <translation>类型</translation>
        </message>
        <message>
            <source>From laptop</source>
            <translation>来源电脑</translation>
        </message>
        <message>
            <source>Signed by</source>
            <translation>签名人</translation>
        </message>
        <message>
            <source>No bundle has been imported yet.</source>
            <translation>还没有导入过数据包。</translation>
        </message>
        <message>
            <source>Statistics only (protected counts, no records) for %1: %2.

They are added to the county's annual and period reports on the Reports page.</source>
            <translation>仅统计数据（已作隐匿处理的汇总数字，不含档案）：%1 年，%2。

已计入“报表”页的全县年度和阶段统计表。</translation>
        </message>
        <message>
            <source>Bundle no. %1 from %2, signed by %3, made on %4.</source>
            <translation>第 %1 号数据包，来自%2，签名人 %3，生成于 %4。</translation>
        </message>
        <message>
            <source>Added: %1</source>
            <translation>新增：%1</translation>
        </message>
        <message>
            <source>Updated: %1</source>
            <translation>更新：%1</translation>
        </message>
        <message>
            <source>Unchanged: %1</source>
            <translation>未变：%1</translation>
        </message>
        <message>
            <source>Deleted: %1</source>
            <translation>删除：%1</translation>
        </message>
        <message>
            <source>Conflicts: %1</source>
            <translation>冲突：%1</translation>
        </message>
        <message>
            <source>Possible duplicates: %1</source>
            <translation>疑似重复：%1</translation>
        </message>
    </context>
    <context>
        <name>Fields</name>
        <message>
            <source>Name</source>
            <translation>姓名</translation>
        </message>
        <message>
            <source>Alias</source>
            <translation>化名（别名）</translation>
        </message>
        <message>
            <source>Hide name in lists</source>
            <translation>列表中隐藏姓名</translation>
        </message>
        <message>
            <source>Sex</source>
            <translation>性别</translation>
        </message>
        <message>
            <source>Date of birth</source>
            <translation>出生日期</translation>
        </message>
        <message>
            <source>Estimated birth year</source>
            <translation>估计出生年份</translation>
        </message>
        <message>
            <source>Resident ID number</source>
            <translation>身份证号码</translation>
        </message>
        <message>
            <source>Identity</source>
            <translation>身份状况</translation>
        </message>
        <message>
            <source>Identified on</source>
            <translation>查明身份日期</translation>
        </message>
        <message>
            <source>Township</source>
            <translation>乡镇</translation>
        </message>
        <message>
            <source>Case</source>
            <translation>案件</translation>
        </message>
        <message>
            <source>Responsible caseworker</source>
            <translation>负责人</translation>
        </message>
        <message>
            <source>Ethnicity</source>
            <translation>民族</translation>
        </message>
        <message>
            <source>Nationality</source>
            <translation>国籍</translation>
        </message>
        <message>
            <source>Household registration (hukou)</source>
            <translation>户籍地</translation>
        </message>
        <message>
            <source>Current residence</source>
            <translation>现居住地</translation>
        </message>
        <message>
            <source>Phone</source>
            <translation>联系电话</translation>
        </message>
        <message>
            <source>Disability</source>
            <translation>残疾情况</translation>
        </message>
        <message>
            <source>Assessed disability grade</source>
            <translation>残疾等级（评定）</translation>
        </message>
        <message>
            <source>Rescue date</source>
            <translation>解救日期</translation>
        </message>
        <message>
            <source>Rescuing unit</source>
            <translation>解救单位</translation>
        </message>
        <message>
            <source>Arrived at the institution on</source>
            <translation>进入救助机构日期</translation>
        </message>
        <message>
            <source>Flag for attention</source>
            <translation>特别关注</translation>
        </message>
        <message>
            <source>Attention message</source>
            <translation>关注事项</translation>
        </message>
        <message>
            <source>Notes</source>
            <translation>备注</translation>
        </message>
        <message>
            <source>File number</source>
            <translation>档案编号</translation>
        </message>
        <message>
            <source>Guardians</source>
            <translation>监护人</translation>
        </message>
        <message>
            <source>Buyer households</source>
            <translation>收买家庭</translation>
        </message>
        <message>
            <source>Relation</source>
            <translation>关系</translation>
        </message>
        <message>
            <source>Address</source>
            <translation>地址</translation>
        </message>
        <message>
            <source>Head of household</source>
            <translation>户主</translation>
        </message>
        <message>
            <source>Members' ID numbers</source>
            <translation>家庭成员身份证号码</translation>
        </message>
        <message>
            <source>Police case number</source>
            <translation>公安案件编号</translation>
        </message>
        <message>
            <source>Handling unit</source>
            <translation>承办单位</translation>
        </message>
        <message>
            <source>Opened on</source>
            <translation>立案日期</translation>
        </message>
        <message>
            <source>Incident date</source>
            <translation>案发日期</translation>
        </message>
        <message>
            <source>Place</source>
            <translation>地点</translation>
        </message>
        <message>
            <source>Type of exploitation</source>
            <translation>剥削类型</translation>
        </message>
        <message>
            <source>Summary</source>
            <translation>案情摘要</translation>
        </message>
        <message>
            <source>Service</source>
            <translation>服务</translation>
        </message>
        <message>
            <source>Responsible unit</source>
            <translation>负责单位</translation>
        </message>
        <message>
            <source>Cooperating units</source>
            <translation>配合单位</translation>
        </message>
        <message>
            <source>Start date</source>
            <translation>开始日期</translation>
        </message>
        <message>
            <source>Due date</source>
            <translation>到期日期</translation>
        </message>
        <message>
            <source>End date</source>
            <translation>结束日期</translation>
        </message>
        <message>
            <source>Status</source>
            <translation>状态</translation>
        </message>
        <message>
            <source>The person wishes to be trained</source>
            <translation>本人有培训意愿</translation>
        </message>
        <message>
            <source>Planned date</source>
            <translation>计划日期</translation>
        </message>
        <message>
            <source>Visit date</source>
            <translation>回访日期</translation>
        </message>
        <message>
            <source>Method</source>
            <translation>回访方式</translation>
        </message>
        <message>
            <source>Visitors</source>
            <translation>回访人员</translation>
        </message>
        <message>
            <source>Living situation</source>
            <translation>生活状况</translation>
        </message>
        <message>
            <source>Schooling</source>
            <translation>就学情况</translation>
        </message>
        <message>
            <source>Work</source>
            <translation>就业情况</translation>
        </message>
        <message>
            <source>Health</source>
            <translation>健康状况</translation>
        </message>
        <message>
            <source>Psychological state</source>
            <translation>心理状况</translation>
        </message>
        <message>
            <source>Needs found</source>
            <translation>发现的需求</translation>
        </message>
        <message>
            <source>Difficulties</source>
            <translation>困难</translation>
        </message>
        <message>
            <source>Difficulties referred to</source>
            <translation>困难转交单位</translation>
        </message>
        <message>
            <source>Next visit</source>
            <translation>下次回访日期</translation>
        </message>
        <message>
            <source>Institution</source>
            <translation>机构</translation>
        </message>
        <message>
            <source>Matter</source>
            <translation>援助事项</translation>
        </message>
        <message>
            <source>Referral date</source>
            <translation>转介日期</translation>
        </message>
        <message>
            <source>Green channel (priority handling)</source>
            <translation>绿色通道（优先受理）</translation>
        </message>
        <message>
            <source>Legal deadline (if urgent)</source>
            <translation>法定期限（紧急情况）</translation>
        </message>
        <message>
            <source>Reason for proceeding without consent</source>
            <translation>未经同意即转介的理由</translation>
        </message>
        <message>
            <source>Date</source>
            <translation>日期</translation>
        </message>
        <message>
            <source>Note</source>
            <translation>说明</translation>
        </message>
        <message>
            <source>Lawyer</source>
            <translation>承办律师</translation>
        </message>
        <message>
            <source>Outcome</source>
            <translation>结果</translation>
        </message>
        <message>
            <source>Placement</source>
            <translation>安置</translation>
        </message>
        <message>
            <source>Head of the receiving household</source>
            <translation>接收家庭户主</translation>
        </message>
        <message>
            <source>Caregiver's ID number</source>
            <translation>抚养人身份证号码</translation>
        </message>
        <message>
            <source>This is the buyer household</source>
            <translation>此为收买家庭</translation>
        </message>
        <message>
            <source>Consent to</source>
            <translation>同意事项</translation>
        </message>
        <message>
            <source>Given by</source>
            <translation>同意人</translation>
        </message>
        <message>
            <source>Guardian's name</source>
            <translation>监护人姓名</translation>
        </message>
        <message>
            <source>Given on</source>
            <translation>同意日期</translation>
        </message>
        <message>
            <source>Withdrawn on</source>
            <translation>撤回日期</translation>
        </message>
        <message>
            <source>Reason</source>
            <translation>原因</translation>
        </message>
        <message>
            <source>Closed on</source>
            <translation>结档日期</translation>
        </message>
        <message>
            <source>Retention (years)</source>
            <translation>保存期限（年）</translation>
        </message>
        <message>
            <source>Reason for closing</source>
            <translation>结案理由</translation>
        </message>
        <message>
            <source>Closing note</source>
            <translation>结案说明</translation>
        </message>
        <message>
            <source>Reason for reopening</source>
            <translation>重新开启理由</translation>
        </message>
        <message>
            <source>Reopened on</source>
            <translation>重新开启日期</translation>
        </message>
        <message>
            <source>Transferred to</source>
            <translation>移交至</translation>
        </message>
        <message>
            <source>Flag files without contact for (days)</source>
            <translation>提示超过以下天数未联系的档案（天）</translation>
        </message>
        <message>
            <source>Files entered by mistake can be deleted within (days)</source>
            <translation>误建档案可在建档后以下天数内删除（天）</translation>
        </message>
        <message>
            <source>User name</source>
            <translation>用户名</translation>
        </message>
        <message>
            <source>Display name</source>
            <translation>姓名</translation>
        </message>
        <message>
            <source>Role</source>
            <translation>角色</translation>
        </message>
        <message>
            <source>Password</source>
            <translation>密码</translation>
        </message>
        <message>
            <source>File</source>
            <translation>档案</translation>
        </message>
        <message>
            <source>File name</source>
            <translation>文件名</translation>
        </message>
        <message>
            <source>County</source>
            <translation>县（区）</translation>
        </message>
        <message>
            <source>County code</source>
            <translation>县（区）代码</translation>
        </message>
        <message>
            <source>Lock after idle (minutes)</source>
            <translation>无操作自动锁定（分钟）</translation>
        </message>
        <message>
            <source>Flag legal-aid referrals waiting longer than (days)</source>
            <translation>法律援助转介等待答复超过（天）即提醒</translation>
        </message>
        <message>
            <source>Backup reminder (days)</source>
            <translation>备份提醒（天）</translation>
        </message>
        <message>
            <source>Largest attachment</source>
            <translation>单个附件上限</translation>
        </message>
    </context>
    <context>
        <name>FileView</name>
        <message>
            <source>Case without details (entered %1)</source>
            <translation>未填写详情的案件（录入于 %1）</translation>
        </message>
    </context>
    <context>
        <name>FirstRunWizard</name>
        <message>
            <source>Anti-trafficking case registry — first start</source>
            <translation>反拐专门档案登记库 — 首次使用</translation>
        </message>
        <message>
            <source>Welcome</source>
            <translation>欢迎使用</translation>
        </message>
        <message>
            <source>There is no registry in the data folder yet:
%1

Create a new registry for your township, or open one that already exists (for example one copied from a backup).</source>
            <translation>数据文件夹中还没有登记库：
%1

请为本乡镇创建新的登记库，或打开已有的登记库（例如从备份复制的登记库）。</translation>
        </message>
        <message>
            <source>Create a new registry</source>
            <translation>创建新的登记库</translation>
        </message>
        <message>
            <source>Open an existing registry…</source>
            <translation>打开已有的登记库…</translation>
        </message>
        <message>
            <source>Create the registry</source>
            <translation>创建登记库</translation>
        </message>
        <message>
            <source>e.g. 示例县</source>
            <translation>例如：示例县</translation>
        </message>
        <message>
            <source>e.g. 青龙镇</source>
            <translation>例如：青龙镇</translation>
        </message>
        <message>
            <source>Your name as shown in the audit log</source>
            <translation>您的姓名（显示在审计日志中）</translation>
        </message>
        <message>
            <source>County</source>
            <translation>县（区）</translation>
        </message>
        <message>
            <source>County code</source>
            <translation>县（区）代码</translation>
        </message>
        <message>
            <source>Township</source>
            <translation>乡镇</translation>
        </message>
        <message>
            <source>Township code</source>
            <translation>乡镇代码</translation>
        </message>
        <message>
            <source>Administrator user name</source>
            <translation>管理员用户名</translation>
        </message>
        <message>
            <source>Administrator display name</source>
            <translation>管理员姓名</translation>
        </message>
        <message>
            <source>Password</source>
            <translation>密码</translation>
        </message>
        <message>
            <source>Repeat the password</source>
            <translation>再次输入密码</translation>
        </message>
        <message>
            <source>A township laptop (registers files, exports them to the county)</source>
            <translation>乡镇电脑（登记档案，导出给县里）</translation>
        </message>
        <message>
            <source>The county's laptop (imports the townships' bundles, county certificate authority)</source>
            <translation>县级电脑（导入各乡镇的数据包，县级证书机构）</translation>
        </message>
        <message>
            <source>This laptop is</source>
            <translation>本机是</translation>
        </message>
        <message>
            <source>Cannot be changed later. Only the county's laptop imports bundles and holds the county certificate authority; only township laptops export to the county.</source>
            <translation>创建后不能更改。只有县级电脑导入数据包、持有县级证书机构；只有乡镇电脑向县里导出。</translation>
        </message>
        <message>
            <source>Everything in the registry is encrypted with the key that your password unlocks. If the password is lost, nobody can recover it — not an administrator, not the developers — and without another administrator the data cannot be opened again. Choose a password of at least 10 characters that you will remember, write it down and keep it in a sealed envelope in a locked place.</source>
            <translation>登记库中的全部数据都经过加密，只有您的密码才能解开。密码一旦丢失，任何人都无法找回——管理员不能，开发人员也不能；如果没有其他管理员，数据将再也无法打开。请设置一个至少10个字符、您能记住的密码，把它写下来，密封在信封里，锁在安全的地方。</translation>
        </message>
        <message>
            <source>I understand: a lost password cannot be recovered.</source>
            <translation>我已了解：密码丢失后无法找回。</translation>
        </message>
        <message>
            <source>Fill with %1 invented demo files (for training only — never for real work)</source>
            <translation>填入 %1 份虚构的演示档案（仅供培训，切勿用于实际工作）</translation>
        </message>
        <message>
            <source>Back</source>
            <translation>上一步</translation>
        </message>
        <message>
            <source>Create registry</source>
            <translation>创建登记库</translation>
        </message>
        <message>
            <source>Open an existing registry</source>
            <translation>打开已有的登记库</translation>
        </message>
        <message>
            <source>Choose the folder that contains the registry (the files registry.db and keyslots.json).</source>
            <translation>请选择登记库所在的文件夹（其中有 registry.db 和 keyslots.json 两个文件）。</translation>
        </message>
        <message>
            <source>Browse…</source>
            <translation>浏览…</translation>
        </message>
        <message>
            <source>Open</source>
            <translation>打开</translation>
        </message>
        <message>
            <source>The two passwords differ.</source>
            <translation>两次输入的密码不一致。</translation>
        </message>
        <message>
            <source>Enter the township.</source>
            <translation>请填写乡镇名称。</translation>
        </message>
        <message>
            <source>Enter the administrator's user name.</source>
            <translation>请填写管理员用户名。</translation>
        </message>
        <message>
            <source>County and township codes are digits (GB/T 2260).</source>
            <translation>县、乡镇代码应为数字（GB/T 2260）。</translation>
        </message>
        <message>
            <source>Choose a password.</source>
            <translation>请设置密码。</translation>
        </message>
        <message>
            <source>Tick the box to confirm you understand that a lost password cannot be recovered.</source>
            <translation>请勾选确认：您已了解密码丢失后无法找回。</translation>
        </message>
        <message>
            <source>Creating the encrypted registry…</source>
            <translation>正在创建加密登记库…</translation>
        </message>
        <message>
            <source>Demo data cancelled: the registry is empty.</source>
            <translation>已取消生成演示数据：登记库中没有数据。</translation>
        </message>
        <message>
            <source>Generating demo files…</source>
            <translation>正在生成演示档案…</translation>
        </message>
        <message>
            <source>Registry folder</source>
            <translation>登记库文件夹</translation>
        </message>
        <message>
            <source>There is no registry in this folder.</source>
            <translation>该文件夹中没有登记库。</translation>
        </message>
    </context>
    <context>
        <name>FollowUpsPage</name>
        <message>
            <source>My visits, next %1 weeks</source>
            <translation>我的回访（未来 %1 周）</translation>
        </message>
        <message>
            <source>Overdue</source>
            <translation>已逾期</translation>
        </message>
        <message>
            <source>Due within 7 days</source>
            <translation>7日内到期</translation>
        </message>
        <message>
            <source>All planned</source>
            <translation>全部待回访</translation>
        </message>
        <message>
            <source>Record the selected visit…</source>
            <translation>记录所选回访…</translation>
        </message>
        <message>
            <source>Follow-up visits</source>
            <translation>跟踪回访</translation>
        </message>
        <message>
            <source>A visit is a task until it is recorded; it is overdue the day after its planned date. Double-click or press Enter to record it in the file.</source>
            <translation>回访在记录之前都是待办事项；超过计划日期的次日即为逾期。双击或按回车键，在档案中记录回访。</translation>
        </message>
    </context>
    <context>
        <name>FollowUpsTab</name>
        <message>
            <source>Planned</source>
            <translation>计划日期</translation>
        </message>
        <message>
            <source>Visited</source>
            <translation>回访日期</translation>
        </message>
        <message>
            <source>Method</source>
            <translation>回访方式</translation>
        </message>
        <message>
            <source>State</source>
            <translation>状态</translation>
        </message>
        <message>
            <source>Caseworker</source>
            <translation>负责人</translation>
        </message>
        <message>
            <source>Needs found</source>
            <translation>发现的需求</translation>
        </message>
        <message>
            <source>Completes the planned visit</source>
            <translation>对应的计划回访</translation>
        </message>
        <message>
            <source>Record visit</source>
            <translation>保存回访记录</translation>
        </message>
        <message>
            <source>Plan a visit</source>
            <translation>加入回访计划</translation>
        </message>
        <message>
            <source>Plan a visit on</source>
            <translation>计划回访日期</translation>
        </message>
        <message>
            <source>Record a visit</source>
            <translation>记录回访</translation>
        </message>
        <message>
            <source>None — an unplanned visit</source>
            <translation>无——计划外回访</translation>
        </message>
        <message>
            <source>Planned for %1</source>
            <translation>计划于 %1</translation>
        </message>
        <message>
            <source>Visit recorded.</source>
            <translation>回访已记录。</translation>
        </message>
        <message>
            <source>Next visit planned for %1.</source>
            <translation>已安排下次回访：%1。</translation>
        </message>
        <message>
            <source>Choose the date of the planned visit.</source>
            <translation>请选择计划回访日期。</translation>
        </message>
        <message>
            <source>Plan a visit in the past?</source>
            <translation>计划日期早于今天？</translation>
        </message>
        <message>
            <source>The planned date %1 is before today. Plan the visit on that date anyway?</source>
            <translation>计划回访日期 %1 早于今天。仍按该日期安排回访吗？</translation>
        </message>
        <message>
            <source>Visit planned for %1.</source>
            <translation>已安排回访：%1。</translation>
        </message>
    </context>
    <context>
        <name>HelpWindow</name>
        <message>
            <source>User manual</source>
            <translation>使用手册</translation>
        </message>
    </context>
    <context>
        <name>KeyFiguresPanel</name>
        <message>
            <source>Files this year</source>
            <translation>本年档案</translation>
        </message>
        <message>
            <source>Open files by sex</source>
            <translation>年末在档人员性别</translation>
        </message>
        <message>
            <source>Legal-aid referrals by outcome</source>
            <translation>法律援助转介结果</translation>
        </message>
    </context>
    <context>
        <name>LedgerImportDialog</name>
        <message>
            <source>Import the township ledger</source>
            <translation>导入乡镇台账</translation>
        </message>
        <message>
            <source>No file chosen yet.</source>
            <translation>尚未选择文件。</translation>
        </message>
        <message>
            <source>Choose spreadsheet…</source>
            <translation>选择表格文件…</translation>
        </message>
        <message>
            <source>Column in the ledger</source>
            <translation>台账中的列</translation>
        </message>
        <message>
            <source>Imported as</source>
            <translation>导入为</translation>
        </message>
        <message>
            <source>First row</source>
            <translation>第一行数据</translation>
        </message>
        <message>
            <source>Check (writes nothing)</source>
            <translation>检查（不写入）</translation>
        </message>
        <message>
            <source>Import all rows</source>
            <translation>导入全部行</translation>
        </message>
        <message>
            <source>Close</source>
            <translation>关闭</translation>
        </message>
        <message>
            <source>Import the township ledger (台账)</source>
            <translation>导入乡镇台账</translation>
        </message>
        <message>
            <source>An .xlsx or .csv spreadsheet (UTF-8 or GB18030). Every row goes through the same checks as the form (ID number, DNA rule, township …). Nothing is imported unless every row is correct; people already on file are flagged and not filed twice.</source>
            <translation>支持 .xlsx 或 .csv 表格（UTF-8 或 GB18030 编码）。每一行都按与录入表单相同的规则检查（身份证号、DNA规定、乡镇等）。只有全部行都正确才会导入；已建档的人员会被标出，不会重复建档。</translation>
        </message>
        <message>
            <source>How the columns were understood (change any that is wrong):</source>
            <translation>各列的识别结果（如有错误请更正）：</translation>
        </message>
        <message>
            <source>Result</source>
            <translation>结果</translation>
        </message>
        <message>
            <source>Choose the ledger</source>
            <translation>选择台账文件</translation>
        </message>
        <message>
            <source>Spreadsheets (*.xlsx *.csv)</source>
            <translation>表格文件 (*.xlsx *.csv)</translation>
        </message>
        <message>
            <source>(not imported)</source>
            <translation>（不导入）</translation>
        </message>
        <message>
            <source>%1 — %2 rows, headers on row %3</source>
            <translation>%1 — 共 %2 行，表头在第 %3 行</translation>
        </message>
        <message>
            <source>Guardian (name)</source>
            <translation>监护人（姓名）</translation>
        </message>
        <message>
            <source>Placement (kept in the notes)</source>
            <translation>安置情况（记入备注）</translation>
        </message>
        <message>
            <source>Checking every row…</source>
            <translation>正在逐行检查…</translation>
        </message>
        <message>
            <source>Row %1</source>
            <translation>第 %1 行</translation>
        </message>
        <message>
            <source>Row %1: already on file %2 — not filed twice.</source>
            <translation>第 %1 行：已在档案 %2 中登记，不重复建档。</translation>
        </message>
        <message>
            <source>All %1 rows are correct: %2 new files would be created, %3 already on file. Nothing was written.</source>
            <translation>全部 %1 行均正确：可新建 %2 份档案，%3 行已建档。未写入任何数据。</translation>
        </message>
        <message>
            <source>Imported: %1 new files; %2 rows were already on file.</source>
            <translation>已导入：新建 %1 份档案；%2 行已建档，未重复建档。</translation>
        </message>
    </context>
    <context>
        <name>LegalAidPage</name>
        <message>
            <source>Open referrals</source>
            <translation>办理中的转介</translation>
        </message>
        <message>
            <source>Waiting for a decision too long</source>
            <translation>等待答复过久</translation>
        </message>
        <message>
            <source>Past the legal deadline</source>
            <translation>超过法定期限</translation>
        </message>
        <message>
            <source>All</source>
            <translation>全部</translation>
        </message>
        <message>
            <source>Legal Aid Law art. 43: the institution decides within 7 days of the referral and assigns a lawyer within 3 days of accepting; art. 44: with a legal deadline near, the decision is due before it (urgent referrals come first). New referrals are made from a file (its Legal aid tab).</source>
            <translation>法律援助法第四十三条：法律援助机构应在转介之日起7日内作出决定，决定给予援助之日起3日内指派律师；第四十四条：法定期限临近的，应在期限届满前作出决定（紧急转介排在最前）。新的转介请在档案的“法律援助”页中办理。</translation>
        </message>
        <message>
            <source>Record an answer…</source>
            <translation>记录答复…</translation>
        </message>
        <message>
            <source>Legal-aid referrals</source>
            <translation>法律援助转介</translation>
        </message>
    </context>
    <context>
        <name>LegalAidTab</name>
        <message>
            <source>Institution</source>
            <translation>法律援助机构</translation>
        </message>
        <message>
            <source>Matter</source>
            <translation>援助事项</translation>
        </message>
        <message>
            <source>Referred</source>
            <translation>转介日期</translation>
        </message>
        <message>
            <source>Status</source>
            <translation>状态</translation>
        </message>
        <message>
            <source>Deadline</source>
            <translation>期限</translation>
        </message>
        <message>
            <source>Consent</source>
            <translation>同意</translation>
        </message>
        <message>
            <source>override</source>
            <translation>例外处理</translation>
        </message>
        <message>
            <source>on file</source>
            <translation>已同意</translation>
        </message>
        <message>
            <source>Update selected referral</source>
            <translation>更新所选转介</translation>
        </message>
        <message>
            <source>Legal-aid institution</source>
            <translation>法律援助机构</translation>
        </message>
        <message>
            <source>Green channel: priority handling (优先受理)</source>
            <translation>绿色通道：优先受理</translation>
        </message>
        <message>
            <source>Refer without consent — an exception, kept in the audit log and shown on the file</source>
            <translation>未经同意即转介——例外处理，将记入审计日志并在档案中显示</translation>
        </message>
        <message>
            <source>Refer to legal aid</source>
            <translation>转介法律援助</translation>
        </message>
        <message>
            <source>Answer from the institution</source>
            <translation>法律援助机构的答复</translation>
        </message>
        <message>
            <source>New referral</source>
            <translation>新的转介</translation>
        </message>
        <message>
            <source>Select a referral in the list to record the institution's answer.</source>
            <translation>在上面的列表中选择一条转介，即可记录法律援助机构的答复。</translation>
        </message>
        <message>
            <source>Consent to referral on file: %1, %2</source>
            <translation>档案中已有转介同意：%1，%2</translation>
        </message>
        <message>
            <source>No valid consent to referral on file (for a minor: the guardian's). Record it in the Consents tab, or refer as an explicit exception with a reason.</source>
            <translation>档案中没有有效的转介同意（未成年人须由监护人同意）。请先在“知情同意”页记录，或填写理由作例外处理。</translation>
        </message>
        <message>
            <source>Referred without consent:</source>
            <translation>未经同意的转介：</translation>
        </message>
        <message>
            <source>Select a referral in the list first.</source>
            <translation>请先在列表中选择一条转介。</translation>
        </message>
        <message>
            <source>Referral updated.</source>
            <translation>转介状态已更新。</translation>
        </message>
        <message>
            <source>Write why the referral cannot wait for consent.</source>
            <translation>请写明为何不能等待同意即转介。</translation>
        </message>
        <message>
            <source>Referred to legal aid.</source>
            <translation>已转介法律援助。</translation>
        </message>
    </context>
    <context>
        <name>MainWindow</name>
        <message>
            <source>Workbench</source>
            <extracomment>Each page's class as "module:Class", imported the first time the page is shown: the exchange and reports pages pull in pyHanko and ReportLab, which signing in must not wait for.</extracomment>
            <translation>工作台</translation>
        </message>
        <message>
            <source>Victim files</source>
            <translation>受害人档案</translation>
        </message>
        <message>
            <source>Cases</source>
            <translation>案件</translation>
        </message>
        <message>
            <source>Follow-up visits</source>
            <translation>跟踪回访</translation>
        </message>
        <message>
            <source>Legal aid</source>
            <translation>法律援助</translation>
        </message>
        <message>
            <source>Placement</source>
            <translation>安置</translation>
        </message>
        <message>
            <source>Reports</source>
            <translation>报表</translation>
        </message>
        <message>
            <source>Data exchange</source>
            <translation>数据交换</translation>
        </message>
        <message>
            <source>Audit log</source>
            <translation>审计日志</translation>
        </message>
        <message>
            <source>Settings / users</source>
            <translation>设置 / 用户</translation>
        </message>
        <message>
            <source>Lock (Ctrl+L)</source>
            <translation>锁定（Ctrl+L）</translation>
        </message>
        <message>
            <source>Lock</source>
            <translation>锁定</translation>
        </message>
        <message>
            <source>Find a file</source>
            <translation>查找档案</translation>
        </message>
        <message>
            <source>&amp;Help</source>
            <translation>帮助(&amp;H)</translation>
        </message>
        <message>
            <source>User manual</source>
            <translation>使用手册</translation>
        </message>
        <message>
            <source>Locked. Enter your password to continue — what you were typing is kept.</source>
            <translation>已锁定。输入密码后继续——您正在填写的内容都已保留。</translation>
        </message>
        <message>
            <source>%1 failed sign-in attempt(s) since the last sign-in</source>
            <translation>自上次登录以来有 %1 次登录失败</translation>
        </message>
        <message>
            <source> (the last on %1)</source>
            <translation>（最近一次：%1）</translation>
        </message>
        <message>
            <source>. If that was not you, tell the administrator.</source>
            <translation>。如果不是您本人所为，请告知管理员。</translation>
        </message>
        <message>
            <source>User: %1 (%2)</source>
            <translation>用户：%1（%2）</translation>
        </message>
        <message>
            <source>Township: %1</source>
            <translation>乡镇：%1</translation>
        </message>
        <message>
            <source>Registry: %1 (%2)</source>
            <translation>登记库：%1（%2）</translation>
        </message>
        <message>
            <source>Locked</source>
            <translation>已锁定</translation>
        </message>
        <message>
            <source>Unlocked</source>
            <translation>已解锁</translation>
        </message>
        <message>
            <source>Anti-trafficking case registry</source>
            <translation>反拐专门档案登记库</translation>
        </message>
        <message>
            <source>Unsaved changes</source>
            <translation>未保存的修改</translation>
        </message>
        <message>
            <source>Some files have changes that are not saved. Quit and discard them?</source>
            <translation>有档案的修改尚未保存。要放弃这些修改并退出吗？</translation>
        </message>
    </context>
    <context>
        <name>Maintenance</name>
        <message>
            <source>Key file</source>
            <translation>密钥文件</translation>
        </message>
        <message>
            <source>Key file copy</source>
            <translation>密钥文件副本</translation>
        </message>
        <message>
            <source>Recovery key</source>
            <translation>恢复密钥</translation>
        </message>
        <message>
            <source>Encryption</source>
            <translation>加密</translation>
        </message>
        <message>
            <source>Database structure</source>
            <translation>数据库结构</translation>
        </message>
        <message>
            <source>Schema version</source>
            <translation>数据结构版本</translation>
        </message>
        <message>
            <source>Audit log</source>
            <translation>审计日志</translation>
        </message>
        <message>
            <source>Registry identity</source>
            <translation>登记库标识</translation>
        </message>
        <message>
            <source>Backup</source>
            <translation>备份</translation>
        </message>
        <message>
            <source>User keys</source>
            <translation>用户密钥</translation>
        </message>
        <message>
            <source>Unused keys</source>
            <translation>多余的密钥</translation>
        </message>
        <message>
            <source>Disk space</source>
            <translation>磁盘空间</translation>
        </message>
        <message>
            <source>File sizes</source>
            <translation>文件大小</translation>
        </message>
        <message>
            <source>Other windows</source>
            <translation>其他窗口</translation>
        </message>
        <message>
            <source>Database</source>
            <translation>数据库</translation>
        </message>
    </context>
    <context>
        <name>MaintenancePanel</name>
        <message>
            <source>Backups</source>
            <translation>备份</translation>
        </message>
        <message>
            <source>A backup is encrypted like the registry itself and opens only with the registry's passwords. Copy the backup folder to a USB stick kept in a locked cupboard.</source>
            <translation>备份与登记库一样经过加密，只能用登记库的密码打开。请把备份文件夹复制到U盘，锁在柜子里保管。</translation>
        </message>
        <message>
            <source>Back up now</source>
            <translation>立即备份</translation>
        </message>
        <message>
            <source>Never backed up.</source>
            <translation>从未备份。</translation>
        </message>
        <message>
            <source>Last backup: %1 (%2 days ago).</source>
            <translation>上次备份：%1（%2 天前）。</translation>
        </message>
        <message>
            <source>Backup folder: %1 (the last %2 are kept)</source>
            <translation>备份文件夹：%1（保留最近 %2 份）</translation>
        </message>
        <message>
            <source>No backup has been made yet. Make one now.</source>
            <translation>还没有做过备份。请立即备份。</translation>
        </message>
        <message>
            <source>The last backup is older than %1 days. Make one now.</source>
            <translation>上次备份已超过 %1 天。请立即备份。</translation>
        </message>
        <message>
            <source>Backing up…</source>
            <translation>正在备份…</translation>
        </message>
        <message>
            <source>Backup saved: %1 (%2 MB).</source>
            <translation>备份已保存：%1（%2 MB）。</translation>
        </message>
        <message>
            <source>Check-up</source>
            <translation>体检</translation>
        </message>
        <message>
            <source>Checks that the registry's files are intact, the audit log has not been altered and a recent backup exists. It reads only counts, never personal data.</source>
            <translation>检查登记库文件是否完好、审计日志是否被改动、是否有近期备份。只读取数量，不读取个人信息。</translation>
        </message>
        <message>
            <source>Result</source>
            <translation>结果</translation>
        </message>
        <message>
            <source>What was checked</source>
            <translation>检查项目</translation>
        </message>
        <message>
            <source>Details</source>
            <translation>说明</translation>
        </message>
        <message>
            <source>Click “Run the check-up”: the results appear here.</source>
            <translation>点击“开始体检”后，结果显示在这里。</translation>
        </message>
        <message>
            <source>Run the check-up</source>
            <translation>开始体检</translation>
        </message>
        <message>
            <source>OK</source>
            <translation>正常</translation>
        </message>
        <message>
            <source>Attention</source>
            <translation>注意</translation>
        </message>
        <message>
            <source>Problem</source>
            <translation>问题</translation>
        </message>
        <message>
            <source>Checking the registry…</source>
            <translation>正在检查登记库…</translation>
        </message>
        <message>
            <source>Files due for deletion</source>
            <translation>到期待销毁的档案</translation>
        </message>
        <message>
            <source>Closed files whose retention period has passed (PIPL art. 47). Deleting removes the file and everything recorded in it, for good; the audit log keeps only the file's id and the reason. Backups made earlier still hold it until they are rotated out.</source>
            <translation>已结档且保存期限已过的档案（《个人信息保护法》第四十七条）。销毁将永久删除档案及其中的全部记录；审计日志只保留档案编号和销毁原因。此前的备份中仍有该档案，直到备份被轮换删除。</translation>
        </message>
        <message>
            <source>File number</source>
            <translation>档案编号</translation>
        </message>
        <message>
            <source>Name</source>
            <translation>名称</translation>
        </message>
        <message>
            <source>Township</source>
            <translation>乡镇</translation>
        </message>
        <message>
            <source>Closed on</source>
            <translation>结档日期</translation>
        </message>
        <message>
            <source>Reason closed</source>
            <translation>结档原因</translation>
        </message>
        <message>
            <source>Keep until</source>
            <translation>保存至</translation>
        </message>
        <message>
            <source>No closed file has reached the end of its retention period.</source>
            <translation>没有已过保存期限的已结档案。</translation>
        </message>
        <message>
            <source>Delete the selected files for good…</source>
            <translation>永久销毁所选档案…</translation>
        </message>
        <message>
            <source>Reason</source>
            <translation>原因</translation>
        </message>
        <message>
            <source>Select the files to delete in the list first.</source>
            <translation>请先在列表中选择要销毁的档案。</translation>
        </message>
        <message>
            <source>Choosing Yes also confirms that the computer's date and time are right.</source>
            <translation>选择“是”即同时确认电脑的日期和时间无误。</translation>
        </message>
        <message>
            <source>Delete files for good</source>
            <translation>永久销毁档案</translation>
        </message>
        <message>
            <source>Delete %1 file(s) for good: %2?
Reason: %3
This cannot be undone.</source>
            <translation>确定永久销毁 %1 份档案：%2？
原因：%3
此操作无法撤销。</translation>
        </message>
        <message>
            <source>%1 file(s) deleted for good.</source>
            <translation>已永久销毁 %1 份档案。</translation>
        </message>
        <message>
            <source>Deleting…</source>
            <translation>正在销毁…</translation>
        </message>
    </context>
    <context>
        <name>Messages</name>
        <message>
            <source>The registry is locked. Unlock it and try again; your input is kept.</source>
            <translation>登记库已锁定。请解锁后重试，您填写的内容已保留。</translation>
        </message>
        <message>
            <source>Internal error (%1). Nothing was saved; please tell your administrator.</source>
            <translation>内部错误（%1）。未保存任何内容，请告知管理员。</translation>
        </message>
    </context>
    <context>
        <name>NewFileView</name>
        <message>
            <source>Add guardian</source>
            <translation>添加监护人</translation>
        </message>
        <message>
            <source>Remove</source>
            <translation>删除</translation>
        </message>
        <message>
            <source>Add buyer household</source>
            <translation>添加收买家庭</translation>
        </message>
        <message>
            <source>New dedicated file</source>
            <translation>新建专门档案</translation>
        </message>
        <message>
            <source>If the identity is not known, enter an alias and an estimated birth year, set Identity to “unknown”, and complete the file later.</source>
            <translation>身份信息不明确时，可先填写化名和估计出生年份，将“身份状况”设为身份信息不明确，以后再补充完善。</translation>
        </message>
        <message>
            <source>Township</source>
            <translation>乡镇</translation>
        </message>
        <message>
            <source>Guardians (for a minor)</source>
            <translation>监护人（未成年人）</translation>
        </message>
        <message>
            <source>Buyer household — a minor is never placed with it</source>
            <translation>收买家庭 — 不得安置未成年人于此家庭</translation>
        </message>
        <message>
            <source>Cancel</source>
            <translation>取消</translation>
        </message>
        <message>
            <source>Create file</source>
            <translation>建立档案</translation>
        </message>
    </context>
    <context>
        <name>OptionalDateEdit</name>
        <message>
            <source>e.g. 2011-03-15</source>
            <translation>如 2011-03-15</translation>
        </message>
        <message>
            <source>Choose in the calendar</source>
            <translation>在日历中选择</translation>
        </message>
        <message>
            <source>not a date</source>
            <translation>不是有效日期</translation>
        </message>
    </context>
    <context>
        <name>PaperCheckPanel</name>
        <message>
            <source>Check</source>
            <translation>核验</translation>
        </message>
        <message>
            <source>Read the QR code from a scan or photo…</source>
            <translation>从扫描件或照片识别二维码…</translation>
        </message>
        <message>
            <source>Check a paper copy</source>
            <translation>核验纸质打印件</translation>
        </message>
        <message>
            <source>Every page of a signed print carries a QR code and a check code under the footer. Type the code, or read the QR code from a scan or photo.</source>
            <translation>签名打印件每一页都有二维码，页脚下方印有纸质核验码。可输入核验码，或从扫描件、照片识别二维码。</translation>
        </message>
        <message>
            <source>Checking…</source>
            <translation>正在核验…</translation>
        </message>
        <message>
            <source>Scan or photo of the page</source>
            <translation>该页的扫描件或照片</translation>
        </message>
        <message>
            <source>Images (*.png *.jpg *.jpeg *.tif *.tiff *.bmp)</source>
            <translation>图片 (*.png *.jpg *.jpeg *.tif *.tiff *.bmp)</translation>
        </message>
        <message>
            <source>The image file cannot be read.</source>
            <translation>图片文件无法读取。</translation>
        </message>
        <message>
            <source>Follow-up record</source>
            <translation>回访记录表</translation>
        </message>
        <message>
            <source>File summary</source>
            <translation>专门档案摘要</translation>
        </message>
        <message>
            <source>Annual statistical report</source>
            <translation>年度工作情况统计表</translation>
        </message>
        <message>
            <source>Genuine: this page belongs to a signed print issued by the registry.</source>
            <translation>真实：本页属于登记库签发的签名打印件。</translation>
        </message>
        <message>
            <source>Document: %1</source>
            <translation>文件：%1</translation>
        </message>
        <message>
            <source> (file %1)</source>
            <translation>（档案编号 %1）</translation>
        </message>
        <message>
            <source>Page %1 of %2</source>
            <translation>第 %1 页 共 %2 页</translation>
        </message>
        <message>
            <source>Signed by %1 at %2</source>
            <translation>签名人：%1，签名时间：%2</translation>
        </message>
        <message>
            <source>SHA-256 of the signed PDF: %1</source>
            <translation>签名 PDF 的 SHA-256：%1</translation>
        </message>
        <message>
            <source>Superseded: a later signed print of the same record exists (%1, %2).</source>
            <translation>已被取代：该记录之后又签发了新的打印件（%1，%2）。</translation>
        </message>
        <message>
            <source>This is the latest signed print of the record.</source>
            <translation>这是该记录最新的签名打印件。</translation>
        </message>
        <message>
            <source>Not confirmed: this registry has no print with this code. It may be forged, or printed on a laptop whose data has not been imported here.</source>
            <translation>无法确认：本登记库没有这个核验码的打印记录。可能是伪造的，或由数据尚未导入本机的其他电脑打印。</translation>
        </message>
        <message>
            <source>Not genuine: the code does not match the print log (altered or forged).</source>
            <translation>不真实：核验码与打印记录不符（被改动或伪造）。</translation>
        </message>
    </context>
    <context>
        <name>PdfPreview</name>
        <message>
            <source>Save as…</source>
            <translation>另存为…</translation>
        </message>
        <message>
            <source>Print…</source>
            <translation>打印…</translation>
        </message>
        <message>
            <source>The preview of the report appears here.</source>
            <translation>报表的预览显示在这里。</translation>
        </message>
        <message>
            <source>%1 page(s)</source>
            <translation>共 %1 页</translation>
        </message>
        <message>
            <source>Save the report</source>
            <translation>保存报表</translation>
        </message>
        <message>
            <source>PDF files (*.pdf)</source>
            <translation>PDF 文件 (*.pdf)</translation>
        </message>
        <message>
            <source>The file could not be saved there. Choose another folder.</source>
            <translation>无法保存到该位置，请选择其他文件夹。</translation>
        </message>
        <message>
            <source>The printer could not be started.</source>
            <translation>无法启动打印机。</translation>
        </message>
    </context>
    <context>
        <name>PlacementTab</name>
        <message>
            <source>From</source>
            <translation>开始日期</translation>
        </message>
        <message>
            <source>Placement</source>
            <translation>安置</translation>
        </message>
        <message>
            <source>Institution</source>
            <translation>机构</translation>
        </message>
        <message>
            <source>Household</source>
            <translation>家庭</translation>
        </message>
        <message>
            <source>Address</source>
            <translation>地址</translation>
        </message>
        <message>
            <source>This is the household that bought the person</source>
            <translation>此家庭即为收买该受害人的家庭</translation>
        </message>
        <message>
            <source>Add to the timeline</source>
            <translation>加入安置记录</translation>
        </message>
        <message>
            <source>New placement (the timeline keeps every earlier one)</source>
            <translation>新的安置记录（以往记录均保留）</translation>
        </message>
        <message>
            <source>Placement added.</source>
            <translation>安置记录已添加。</translation>
        </message>
    </context>
    <context>
        <name>PlacementsPage</name>
        <message>
            <source>Current placement</source>
            <translation>当前安置状况</translation>
        </message>
        <message>
            <source>Open files</source>
            <translation>在档档案</translation>
        </message>
        <message>
            <source>Placement</source>
            <translation>安置</translation>
        </message>
        <message>
            <source>Placement is a timeline in each file; this is where everyone is now. A rescued child is never left with the buying family.</source>
            <translation>每份档案的安置情况都是一条时间线；这里显示每个人目前的安置状况。被解救儿童不得由收买家庭继续抚养。</translation>
        </message>
        <message>
            <source>No placement recorded</source>
            <translation>尚无安置记录</translation>
        </message>
    </context>
    <context>
        <name>ProfileTab</name>
        <message>
            <source>Add guardian</source>
            <extracomment>The profile fields the core masks (``domain.masking.IDENTITY_MASKS``, not a list of this form's own): shown masked and read-only until the audited reveal; never sent back while masked.</extracomment>
            <translation>添加监护人</translation>
        </message>
        <message>
            <source>Remove</source>
            <translation>删除</translation>
        </message>
        <message>
            <source>Add buyer household</source>
            <translation>添加收买家庭</translation>
        </message>
        <message>
            <source>Name, alias, ID number, birth date, phone and addresses are masked. Use “Show full identity” above to see or change them (recorded in the audit log).</source>
            <translation>姓名、别名、身份证号、出生日期、电话和住址已隐去。如需查看或修改，请点击上方“查看完整信息”（记入审计日志）。</translation>
        </message>
        <message>
            <source>Guardians (for a minor)</source>
            <translation>监护人（未成年人）</translation>
        </message>
        <message>
            <source>Buyer household — a minor is never placed with it</source>
            <translation>收买家庭 — 不得安置未成年人于此家庭</translation>
        </message>
        <message>
            <source>Save changes</source>
            <translation>保存修改</translation>
        </message>
        <message>
            <source>%1 (year only)</source>
            <translation>%1（仅显示年份）</translation>
        </message>
        <message>
            <source>Nothing has changed.</source>
            <translation>没有修改任何内容。</translation>
        </message>
        <message>
            <source>Saved.</source>
            <translation>已保存。</translation>
        </message>
    </context>
    <context>
        <name>ProgressDialog</name>
        <message>
            <source>Cancel</source>
            <translation>取消</translation>
        </message>
        <message>
            <source>Cancelling… nothing will be saved.</source>
            <extracomment>A stage's counts are scaled to this range (bytes of a large file do not fit a QProgressBar's int).</extracomment>
            <translation>正在取消…不会保存任何部分结果。</translation>
        </message>
    </context>
    <context>
        <name>RecordTypes</name>
        <message>
            <source>Townships</source>
            <translation>乡镇</translation>
        </message>
        <message>
            <source>Staff</source>
            <translation>工作人员</translation>
        </message>
        <message>
            <source>Cases</source>
            <translation>案件</translation>
        </message>
        <message>
            <source>Files</source>
            <translation>档案</translation>
        </message>
        <message>
            <source>Guardians</source>
            <translation>监护人</translation>
        </message>
        <message>
            <source>Buyer households</source>
            <translation>收买家庭</translation>
        </message>
        <message>
            <source>Assistance services</source>
            <translation>救助服务</translation>
        </message>
        <message>
            <source>Follow-up visits</source>
            <translation>回访</translation>
        </message>
        <message>
            <source>Legal-aid referrals</source>
            <translation>法律援助转介</translation>
        </message>
        <message>
            <source>Referral events</source>
            <translation>转介进展</translation>
        </message>
        <message>
            <source>Placements</source>
            <translation>安置</translation>
        </message>
        <message>
            <source>Consents</source>
            <translation>同意书</translation>
        </message>
        <message>
            <source>Attachments</source>
            <translation>附件</translation>
        </message>
        <message>
            <source>Print records</source>
            <translation>打印记录</translation>
        </message>
        <message>
            <source>Same ID number</source>
            <translation>身份证号相同</translation>
        </message>
        <message>
            <source>Same name, date of birth and sex</source>
            <translation>姓名、出生日期和性别相同</translation>
        </message>
    </context>
    <context>
        <name>ReopenDialog</name>
        <message>
            <source>Reopen the file</source>
            <translation>重新开启档案</translation>
        </message>
        <message>
            <source>Why does the file need to be open again?</source>
            <translation>为什么需要重新开启该档案？</translation>
        </message>
        <message>
            <source>The reason is kept in the file's history. Write at least %1 letters or characters; punctuation alone is not a reason.</source>
            <translation>理由将记入档案历史。请至少写 %1 个汉字、字母或数字；只有标点符号不算理由。</translation>
        </message>
        <message>
            <source>Reopen</source>
            <translation>重新开启</translation>
        </message>
    </context>
    <context>
        <name>ReportsPage</name>
        <message>
            <source>Reports</source>
            <translation>报表</translation>
        </message>
        <message>
            <source>Follow-up records (回访记录表), file summaries for a handover, and the yearly statistical report for the joint-conference office — signed PDFs, with no names in the statistics.</source>
            <translation>回访记录表、移交用的档案摘要，以及报送联席会议办公室的年度统计报告——均为带数字签名的 PDF，统计报告中不含姓名。</translation>
        </message>
        <message>
            <source>Saved to %1.</source>
            <translation>已保存到 %1。</translation>
        </message>
        <message>
            <source>Sent to the printer.</source>
            <translation>已发送到打印机。</translation>
        </message>
        <message>
            <source>Follow-up record (one visit)</source>
            <translation>回访记录表（一次回访）</translation>
        </message>
        <message>
            <source>File summary (for a handover)</source>
            <translation>档案摘要（移交用）</translation>
        </message>
        <message>
            <source>Annual statistical report</source>
            <translation>年度工作情况统计表</translation>
        </message>
        <message>
            <source>Period report (phase and final evaluation)</source>
            <translation>阶段工作情况统计表（阶段性评估、终期评估）</translation>
        </message>
        <message>
            <source>Report</source>
            <translation>报表</translation>
        </message>
        <message>
            <source>File number or name</source>
            <translation>档案编号或姓名</translation>
        </message>
        <message>
            <source>Find</source>
            <translation>查找</translation>
        </message>
        <message>
            <source>File</source>
            <translation>档案</translation>
        </message>
        <message>
            <source>Find a file by its number or name first</source>
            <translation>请先按档案编号或姓名查找档案</translation>
        </message>
        <message>
            <source>Visit</source>
            <translation>回访</translation>
        </message>
        <message>
            <source>Year</source>
            <translation>年度</translation>
        </message>
        <message>
            <source>Years</source>
            <translation>年度</translation>
        </message>
        <message>
            <source>Phase evaluation 2021–2025</source>
            <translation>阶段性评估 2021—2025</translation>
        </message>
        <message>
            <source>Final evaluation 2021–2030</source>
            <translation>终期评估 2021—2030</translation>
        </message>
        <message>
            <source>Use the full name on this print</source>
            <translation>本次打印使用全名</translation>
        </message>
        <message>
            <source>The print will show the name and other identifiers in full. This is recorded in the audit log with your name. Only do this when the recipient needs it.</source>
            <translation>打印件将完整显示姓名等身份信息。此操作会以您的名义记入审计日志。仅在接收方确有需要时使用。</translation>
        </message>
        <message>
            <source>By default names, ID numbers and addresses are printed masked.</source>
            <translation>默认情况下，姓名、身份证号和地址打印时做遮挡处理。</translation>
        </message>
        <message>
            <source>Generate and preview</source>
            <translation>生成并预览</translation>
        </message>
        <message>
            <source>Save as spreadsheet…</source>
            <translation>另存为电子表格…</translation>
        </message>
        <message>
            <source>The same protected tables as an .xlsx file, one sheet per table.</source>
            <translation>同样的统计表（已隐匿处理），保存为 .xlsx 文件，每表一页。</translation>
        </message>
        <message>
            <source>Counts of 1–4 print as "&lt;5"; some other cells print as "×" so that they cannot be worked out from the totals (docs/statistics.md).</source>
            <translation>1～4 的数值显示为“&lt;5”；另有部分单元格显示为“×”，使其无法由合计推算（见 docs/statistics.md）。</translation>
        </message>
        <message>
            <source>Check a signed report</source>
            <translation>核验已签名的报表</translation>
        </message>
        <message>
            <source>Checks who signed a PDF, whether it was changed afterwards, and whether the signer's certificate comes from the county and is not revoked.</source>
            <translation>核验 PDF 的签名人、签名后是否被改动，以及签名人的证书是否由县里签发且未被吊销。</translation>
        </message>
        <message>
            <source>Verify a PDF…</source>
            <translation>核验 PDF…</translation>
        </message>
        <message>
            <source>No file found.</source>
            <translation>没有找到档案。</translation>
        </message>
        <message>
            <source>No visit done yet</source>
            <translation>尚无已完成的回访</translation>
        </message>
        <message>
            <source>Choose a file and one of its visits first.</source>
            <translation>请先选择档案及其中一次回访。</translation>
        </message>
        <message>
            <source>Choose a file first.</source>
            <translation>请先选择档案。</translation>
        </message>
        <message>
            <source>Preparing the report…</source>
            <translation>正在生成报表…</translation>
        </message>
        <message>
            <source>Save the spreadsheet</source>
            <translation>保存电子表格</translation>
        </message>
        <message>
            <source>Spreadsheets (*.xlsx)</source>
            <translation>电子表格 (*.xlsx)</translation>
        </message>
        <message>
            <source>The file could not be saved there. Choose another folder.</source>
            <translation>无法保存到该位置，请选择其他文件夹。</translation>
        </message>
        <message>
            <source>Preparing the spreadsheet…</source>
            <translation>正在生成电子表格…</translation>
        </message>
        <message>
            <source>A signed report needs your certificate: go to Settings → Certificates to request and install it.</source>
            <translation>签名报表需要您的证书：请到“设置 → 证书”申请并安装。</translation>
        </message>
        <message>
            <source>Open settings</source>
            <translation>打开设置</translation>
        </message>
        <message>
            <source>Choose a signed PDF</source>
            <translation>选择已签名的 PDF</translation>
        </message>
        <message>
            <source>PDF files (*.pdf)</source>
            <translation>PDF 文件 (*.pdf)</translation>
        </message>
        <message>
            <source>The file cannot be read.</source>
            <translation>无法读取该文件。</translation>
        </message>
        <message>
            <source>Checking…</source>
            <translation>正在核验…</translation>
        </message>
        <message>
            <source>yes</source>
            <translation>是</translation>
        </message>
        <message>
            <source>no</source>
            <translation>否</translation>
        </message>
        <message>
            <source>This PDF is not signed.</source>
            <translation>此 PDF 没有签名。</translation>
        </message>
        <message>
            <source>Signature valid: the report is unchanged and signed by a county certificate.</source>
            <translation>签名有效：报表未被改动，签名证书由县里签发。</translation>
        </message>
        <message>
            <source>The report was changed after it was signed. Do not rely on it.</source>
            <translation>报表在签名后被改动过，不可采信。</translation>
        </message>
        <message>
            <source>The signer's certificate has been revoked.</source>
            <translation>签名人的证书已被吊销。</translation>
        </message>
        <message>
            <source>The installed revocation list is out of date: install the latest one from the county.</source>
            <translation>本机的吊销列表已过期：请安装县里最新的吊销列表。</translation>
        </message>
        <message>
            <source>The signer's certificate had expired.</source>
            <translation>签名人的证书已过期。</translation>
        </message>
        <message>
            <source>The signer's certificate was not yet valid.</source>
            <translation>签名时签名人的证书尚未生效。</translation>
        </message>
        <message>
            <source>The signer's certificate does not come from the county installed here.</source>
            <translation>签名人的证书不是本机所信任的县级证书机构签发的。</translation>
        </message>
        <message>
            <source>Something was added to the file after it was signed.</source>
            <translation>文件在签名后被追加了内容。</translation>
        </message>
        <message>
            <source>Signed with an encryption certificate: only a signing certificate may sign. Do not rely on it.</source>
            <translation>该签名使用的是加密证书：只有签名证书可以签名。请勿采信。</translation>
        </message>
        <message>
            <source>Signed by: %1</source>
            <translation>签名人：%1</translation>
        </message>
        <message>
            <source>Signed at: %1</source>
            <translation>签名时间：%1</translation>
        </message>
        <message>
            <source>Unchanged since signing: %1</source>
            <translation>签名后未改动：%1</translation>
        </message>
        <message>
            <source>Certificate from the county: %1</source>
            <translation>证书由县里签发：%1</translation>
        </message>
        <message>
            <source>Certificate revoked: %1</source>
            <translation>证书已吊销：%1</translation>
        </message>
    </context>
    <context>
        <name>ServicesOverduePage</name>
        <message>
            <source>← Workbench</source>
            <translation>← 返回工作台</translation>
        </message>
        <message>
            <source>Services past their due date</source>
            <translation>服务已超期</translation>
        </message>
    </context>
    <context>
        <name>ServicesTab</name>
        <message>
            <source>Service</source>
            <translation>服务</translation>
        </message>
        <message>
            <source>Responsible unit</source>
            <translation>负责单位</translation>
        </message>
        <message>
            <source>Start</source>
            <translation>开始</translation>
        </message>
        <message>
            <source>Due</source>
            <translation>到期日</translation>
        </message>
        <message>
            <source>End</source>
            <translation>结束</translation>
        </message>
        <message>
            <source>Status</source>
            <translation>状态</translation>
        </message>
        <message>
            <source>Deadline</source>
            <translation>期限</translation>
        </message>
        <message>
            <source>Recorded: the person wishes to take part (training)</source>
            <translation>已确认：本人有参加培训的意愿</translation>
        </message>
        <message>
            <source>Add service</source>
            <translation>添加服务</translation>
        </message>
        <message>
            <source>Update selected</source>
            <translation>更新所选服务</translation>
        </message>
        <message>
            <source>Selected service:</source>
            <translation>所选服务：</translation>
        </message>
        <message>
            <source>New service</source>
            <translation>新的服务</translation>
        </message>
        <message>
            <source>Service added.</source>
            <translation>服务已添加。</translation>
        </message>
        <message>
            <source>Select a service in the list first.</source>
            <translation>请先在列表中选择一项服务。</translation>
        </message>
        <message>
            <source>Service updated.</source>
            <translation>服务已更新。</translation>
        </message>
    </context>
    <context>
        <name>SettingsPage</name>
        <message>
            <source>Settings and users</source>
            <translation>设置和用户</translation>
        </message>
        <message>
            <source>Users and settings</source>
            <translation>用户与设置</translation>
        </message>
        <message>
            <source>Certificates</source>
            <translation>证书</translation>
        </message>
        <message>
            <source>Maintenance and backups</source>
            <translation>维护与备份</translation>
        </message>
        <message>
            <source>Users</source>
            <translation>用户</translation>
        </message>
        <message>
            <source>User name</source>
            <translation>用户名</translation>
        </message>
        <message>
            <source>Display name</source>
            <translation>姓名</translation>
        </message>
        <message>
            <source>Role</source>
            <translation>角色</translation>
        </message>
        <message>
            <source>Township</source>
            <translation>乡镇</translation>
        </message>
        <message>
            <source>Whole county</source>
            <translation>全县</translation>
        </message>
        <message>
            <source>Account</source>
            <translation>账户</translation>
        </message>
        <message>
            <source>Sign-in on this laptop</source>
            <translation>本机登录</translation>
        </message>
        <message>
            <source>Remove selected user…</source>
            <translation>停用所选用户…</translation>
        </message>
        <message>
            <source>Reset the selected user's password</source>
            <translation>重置所选用户的密码</translation>
        </message>
        <message>
            <source>New password</source>
            <translation>新密码</translation>
        </message>
        <message>
            <source>Repeat</source>
            <translation>再次输入</translation>
        </message>
        <message>
            <source>Suspected compromise: also re-encrypt the database under a new key (old key files and backups then open only their old copy)</source>
            <translation>怀疑泄露：同时用新密钥重新加密数据库（此后旧的密钥文件和备份只能打开它们自己的旧副本）</translation>
        </message>
        <message>
            <source>A reset gives the user a new key slot with a new personal key: the registry opens again, but their signing certificate must be requested anew.</source>
            <translation>重置会为该用户生成新的密钥槽和新的个人密钥：可以重新打开登记库，但其签名证书需要重新申请。</translation>
        </message>
        <message>
            <source>Add a user</source>
            <translation>添加用户</translation>
        </message>
        <message>
            <source>Repeat the password</source>
            <translation>再次输入密码</translation>
        </message>
        <message>
            <source>Add user</source>
            <translation>添加用户</translation>
        </message>
        <message>
            <source>Removed</source>
            <translation>已停用</translation>
        </message>
        <message>
            <source>In use</source>
            <translation>启用</translation>
        </message>
        <message>
            <source>Cannot sign in (removed)</source>
            <translation>不能登录（已停用）</translation>
        </message>
        <message>
            <source>Password set</source>
            <translation>已设密码</translation>
        </message>
        <message>
            <source>No password here: an administrator resets it</source>
            <translation>本机未设密码：需管理员重置</translation>
        </message>
        <message>
            <source>The two passwords differ.</source>
            <translation>两次输入的密码不一致。</translation>
        </message>
        <message>
            <source>User %1 added.</source>
            <translation>已添加用户 %1。</translation>
        </message>
        <message>
            <source>Select a user in the list first.</source>
            <translation>请先在列表中选择一个用户。</translation>
        </message>
        <message>
            <source>Remove user</source>
            <translation>停用用户</translation>
        </message>
        <message>
            <source>Remove user %1? Their key slot is deleted and the database is re-encrypted under a new key: they can no longer open the registry, not even with an old copy of the key file. Their entries in the audit log stay.</source>
            <translation>确定移除用户 %1 吗？其密钥槽将被删除，数据库将用新密钥重新加密：此人再也无法打开登记库，即使留有旧的密钥文件副本也不行。其在审计日志中的记录保留。</translation>
        </message>
        <message>
            <source>User %1 removed.</source>
            <translation>已停用用户 %1。</translation>
        </message>
        <message>
            <source>The database was re-encrypted with a new key: old key files and backups open only their own old copy.</source>
            <translation>数据库已换用新密钥重新加密：旧的密钥文件和备份只能打开它们自己的旧副本。</translation>
        </message>
        <message>
            <source>These users had not signed in since key rotation existed; reset their password: %1</source>
            <translation>以下用户自密钥轮换功能启用后从未登录，无法获得新密钥，请为他们重置密码：%1</translation>
        </message>
        <message>
            <source>New recovery key (shown only this once: print it and keep it safe; the old one no longer works): %1</source>
            <translation>新的恢复密钥（只显示这一次，请打印并妥善保管；旧的恢复密钥已失效）：%1</translation>
        </message>
        <message>
            <source>New database key</source>
            <translation>数据库新密钥</translation>
        </message>
        <message>
            <source>The password of %1 was reset.</source>
            <translation>已重置 %1 的密码。</translation>
        </message>
        <message>
            <source>Registry settings</source>
            <translation>登记库设置</translation>
        </message>
        <message>
            <source> min</source>
            <translation> 分钟</translation>
        </message>
        <message>
            <source> days</source>
            <translation> 天</translation>
        </message>
        <message>
            <source> years</source>
            <translation> 年</translation>
        </message>
        <message>
            <source>Save settings</source>
            <translation>保存设置</translation>
        </message>
        <message>
            <source>Settings saved.</source>
            <translation>设置已保存。</translation>
        </message>
        <message>
            <source>My password</source>
            <translation>我的密码</translation>
        </message>
        <message>
            <source>Current password</source>
            <translation>当前密码</translation>
        </message>
        <message>
            <source>A lost password cannot be recovered; only an administrator can give access back with a reset.</source>
            <translation>密码丢失后无法找回；只能由管理员重置后恢复使用。</translation>
        </message>
        <message>
            <source>Change my password</source>
            <translation>修改我的密码</translation>
        </message>
        <message>
            <source>Language</source>
            <translation>界面语言</translation>
        </message>
        <message>
            <source>The language changes the next time the program starts.</source>
            <translation>下次启动程序时生效。</translation>
        </message>
        <message>
            <source>Your password was changed.</source>
            <translation>密码已修改。</translation>
        </message>
    </context>
    <context>
        <name>StartWindow</name>
        <message>
            <source>Anti-trafficking case registry — sign in</source>
            <extracomment>Libraries the sign-in window must not wait for (tests/cli/test_start_up_imports.py checks the list).</extracomment>
            <translation>反拐专门档案登记库 — 登录</translation>
        </message>
    </context>
    <context>
        <name>StrengthMeter</name>
        <message>
            <source>very weak</source>
            <translation>很弱</translation>
        </message>
        <message>
            <source>weak</source>
            <translation>弱</translation>
        </message>
        <message>
            <source>fair</source>
            <translation>一般</translation>
        </message>
        <message>
            <source>strong</source>
            <translation>强</translation>
        </message>
        <message>
            <source>very strong</source>
            <translation>很强</translation>
        </message>
        <message>
            <source>Strength: %1</source>
            <translation>强度：%1</translation>
        </message>
    </context>
    <context>
        <name>TransferDialog</name>
        <message>
            <source>Transfer the file</source>
            <translation>移交档案</translation>
        </message>
        <message>
            <source>The file, its history and its planned visits go to the other township of this registry; your township's lists no longer show it.</source>
            <translation>档案连同修改历史和待办回访移交给本登记库中的另一个乡镇；本乡镇的清单中将不再显示该档案。</translation>
        </message>
        <message>
            <source>To township</source>
            <translation>移交至乡镇</translation>
        </message>
        <message>
            <source>Responsible caseworker there</source>
            <translation>接收乡镇的负责人</translation>
        </message>
        <message>
            <source>For another laptop or another county: the whole file with its history goes into a signed transfer bundle that only the receiving user can open (they import it on the Exchange page). The file is then closed here with the reason “transferred” and the destination recorded. Another county's certificate authority must have been trusted first (by its fingerprint).</source>
            <translation>移交给另一台电脑或外县：整份档案连同修改历史写入经签名的移交包，只有接收人能打开（接收人在“数据交换”页导入）。随后本机档案以“转出至其他地区”结案，并记录去向。外县的证书机构须事先按指纹添加为受信任的县。</translation>
        </message>
        <message>
            <source>The receiving user's encryption certificate (.pem)</source>
            <translation>接收人的加密证书（.pem）</translation>
        </message>
        <message>
            <source>Choose…</source>
            <translation>选择……</translation>
        </message>
        <message>
            <source>For example: 某县某镇民政办</source>
            <translation>例如：某县某镇民政办</translation>
        </message>
        <message>
            <source>Where to write the transfer bundle</source>
            <translation>移交包保存位置</translation>
        </message>
        <message>
            <source>Receiving user's certificate</source>
            <translation>接收人证书</translation>
        </message>
        <message>
            <source>Destination</source>
            <translation>移交去向</translation>
        </message>
        <message>
            <source>Transfer bundle file</source>
            <translation>移交包文件</translation>
        </message>
        <message>
            <source>Within this registry</source>
            <translation>本登记库内</translation>
        </message>
        <message>
            <source>To another laptop or county</source>
            <translation>移交给另一台电脑或外县</translation>
        </message>
        <message>
            <source>Transfer</source>
            <translation>移交</translation>
        </message>
        <message>
            <source>Write the transfer bundle</source>
            <translation>生成移交包</translation>
        </message>
        <message>
            <source>Certificates (*.pem *.crt *.cer)</source>
            <translation>证书 (*.pem *.crt *.cer)</translation>
        </message>
        <message>
            <source>Transfer bundles (*.p7m)</source>
            <translation>移交包 (*.p7m)</translation>
        </message>
        <message>
            <source>This registry has no other township.</source>
            <translation>本登记库没有其他乡镇。</translation>
        </message>
        <message>
            <source>(decide later)</source>
            <translation>（稍后指定）</translation>
        </message>
        <message>
            <source>Choose the receiving user's certificate, write the destination and choose where to write the bundle.</source>
            <translation>请选择接收人证书、填写移交去向，并选择移交包的保存位置。</translation>
        </message>
        <message>
            <source>The certificate file cannot be read.</source>
            <translation>无法读取证书文件。</translation>
        </message>
    </context>
    <context>
        <name>UnlockPanel</name>
        <message>
            <source>Anti-trafficking case registry</source>
            <translation>反拐专门档案登记库</translation>
        </message>
        <message>
            <source>User name</source>
            <translation>用户名</translation>
        </message>
        <message>
            <source>Password</source>
            <translation>密码</translation>
        </message>
        <message>
            <source>Unlock</source>
            <translation>解锁</translation>
        </message>
        <message>
            <source>Sign in</source>
            <translation>登录</translation>
        </message>
        <message>
            <source>Quit without saving</source>
            <translation>不保存并退出</translation>
        </message>
        <message>
            <source>Open another registry…</source>
            <translation>打开其他登记库…</translation>
        </message>
        <message>
            <source>Checking…</source>
            <translation>正在验证…</translation>
        </message>
        <message>
            <source>Enter your user name.</source>
            <translation>请输入用户名。</translation>
        </message>
        <message>
            <source>Enter your password.</source>
            <translation>请输入密码。</translation>
        </message>
        <message>
            <source>Try again in %1 s</source>
            <translation>请 %1 秒后再试</translation>
        </message>
    </context>
    <context>
        <name>VictimFileView</name>
        <message>
            <source>Show full identity</source>
            <translation>查看完整信息</translation>
        </message>
        <message>
            <source>Shows the full name and ID number in this view only. Recorded in the audit log.</source>
            <translation>仅在本页面显示完整的姓名和身份证号码。此操作将记入审计日志。</translation>
        </message>
        <message>
            <source>Reload</source>
            <translation>重新载入</translation>
        </message>
        <message>
            <source>Close tab</source>
            <translation>关闭页签</translation>
        </message>
        <message>
            <source>Close this tab (the file stays as it is)</source>
            <translation>关闭此页签（档案本身不变）</translation>
        </message>
        <message>
            <source>Close the file…</source>
            <translation>结案……</translation>
        </message>
        <message>
            <source>Reopen…</source>
            <translation>重新开启……</translation>
        </message>
        <message>
            <source>Transfer…</source>
            <translation>移交……</translation>
        </message>
        <message>
            <source>Delete (entered by mistake)…</source>
            <translation>删除误建档案……</translation>
        </message>
        <message>
            <source>Profile</source>
            <translation>基本信息</translation>
        </message>
        <message>
            <source>Case</source>
            <translation>案件</translation>
        </message>
        <message>
            <source>Services</source>
            <translation>救助服务</translation>
        </message>
        <message>
            <source>Follow-ups</source>
            <translation>跟踪回访</translation>
        </message>
        <message>
            <source>Legal aid</source>
            <translation>法律援助</translation>
        </message>
        <message>
            <source>Placement</source>
            <translation>安置</translation>
        </message>
        <message>
            <source>Consents</source>
            <translation>知情同意</translation>
        </message>
        <message>
            <source>Audit trail</source>
            <translation>审计记录</translation>
        </message>
        <message>
            <source>Attachments</source>
            <translation>附件</translation>
        </message>
        <message>
            <source>Reload the file</source>
            <translation>重新载入档案</translation>
        </message>
        <message>
            <source>%1 years</source>
            <translation>%1 岁</translation>
        </message>
        <message>
            <source>unidentified for %1 days</source>
            <translation>身份不明已 %1 天</translation>
        </message>
        <message>
            <source>keep until %1</source>
            <translation>保存至 %1</translation>
        </message>
        <message>
            <source>Closed on %1: %2. The file is read-only; reopen it (with a reason) to change it.</source>
            <translation>已于 %1 结案：%2。档案只能查看；如需修改，请说明理由重新开启。</translation>
        </message>
        <message>
            <source>Transferred to: %1</source>
            <translation>移交至：%1</translation>
        </message>
        <message>
            <source>Flagged for attention</source>
            <translation>特别关注</translation>
        </message>
        <message>
            <source>What you found or did (optional)</source>
            <translation>复核说明：查到了什么、做了什么（可选）</translation>
        </message>
        <message>
            <source>Mark reviewed</source>
            <translation>标记为已复核</translation>
        </message>
        <message>
            <source>Raised at %1: it is closed at the township; the closure arrives with the township's next bundle.</source>
            <translation>由%1提出：只能在乡镇复核关闭，关闭结果随乡镇的下一个数据包传来。</translation>
        </message>
        <message>
            <source>unknown user</source>
            <translation>未知用户</translation>
        </message>
        <message>
            <source>Reviewed by %1 on %2</source>
            <translation>复核人：%1，复核时间：%2</translation>
        </message>
        <message>
            <source>Note: %1</source>
            <translation>复核说明：%1</translation>
        </message>
        <message>
            <source>Reviewed (%1)</source>
            <translation>已复核（%1）</translation>
        </message>
        <message>
            <source>Marked as reviewed.</source>
            <translation>已标记为已复核。</translation>
        </message>
        <message>
            <source>alias: %1</source>
            <translation>化名：%1</translation>
        </message>
        <message>
            <source>ID number: %1</source>
            <translation>身份证号码：%1</translation>
        </message>
        <message>
            <source>Mask identity</source>
            <translation>隐藏完整信息</translation>
        </message>
        <message>
            <source>File closed. %1 visit(s) and %2 service(s) cancelled, %3 referral(s) revoked; kept until %4.</source>
            <translation>已结案。取消回访 %1 次、服务 %2 项，撤回转介 %3 项；保存至 %4。</translation>
        </message>
        <message>
            <source>File reopened; the reason is in its history.</source>
            <translation>档案已重新开启，理由已记入档案历史。</translation>
        </message>
        <message>
            <source>File transferred to %1.</source>
            <translation>档案已移交至 %1。</translation>
        </message>
    </context>
    <context>
        <name>VictimListPanel</name>
        <message>
            <source>Search: file number, name, pinyin or initials (zsh), last 4 of the ID number</source>
            <translation>搜索：档案编号、姓名、拼音或首字母（如 zsh）、身份证后四位</translation>
        </message>
        <message>
            <source>All townships</source>
            <translation>全部乡镇</translation>
        </message>
        <message>
            <source>Any status</source>
            <translation>全部状态</translation>
        </message>
        <message>
            <source>Any placement</source>
            <translation>全部安置状况</translation>
        </message>
        <message>
            <source>Minors</source>
            <translation>未成年人</translation>
        </message>
        <message>
            <source>Visit overdue</source>
            <translation>回访逾期</translation>
        </message>
        <message>
            <source>Identity unknown</source>
            <translation>身份不明</translation>
        </message>
        <message>
            <source>Clear filters</source>
            <translation>清除筛选</translation>
        </message>
        <message>
            <source>New file</source>
            <translation>新建档案</translation>
        </message>
        <message>
            <source>Searching…</source>
            <translation>正在查询…</translation>
        </message>
        <message>
            <source>Import ledger…</source>
            <translation>导入台账…</translation>
        </message>
        <message>
            <source>%1 files</source>
            <translation>共 %1 份档案</translation>
        </message>
    </context>
    <context>
        <name>VictimTableModel</name>
        <message>
            <source>File number</source>
            <translation>档案编号</translation>
        </message>
        <message>
            <source>Name</source>
            <translation>姓名</translation>
        </message>
        <message>
            <source>Sex</source>
            <translation>性别</translation>
        </message>
        <message>
            <source>Age</source>
            <translation>年龄</translation>
        </message>
        <message>
            <source>ID number</source>
            <translation>身份证号码</translation>
        </message>
        <message>
            <source>Township</source>
            <translation>乡镇</translation>
        </message>
        <message>
            <source>Placement</source>
            <translation>安置</translation>
        </message>
        <message>
            <source>Rescued on</source>
            <translation>解救日期</translation>
        </message>
        <message>
            <source>Status</source>
            <translation>状态</translation>
        </message>
        <message>
            <source>Flagged for attention</source>
            <translation>特别关注</translation>
        </message>
        <message>
            <source>%1 (identity unknown)</source>
            <translation>%1（身份不明）</translation>
        </message>
    </context>
    <context>
        <name>VictimsPage</name>
        <message>
            <source>File list</source>
            <translation>档案列表</translation>
        </message>
        <message>
            <source>New file</source>
            <translation>新建档案</translation>
        </message>
        <message>
            <source>File created.</source>
            <translation>档案已建立。</translation>
        </message>
        <message>
            <source>File created. Possibly the same person as file(s) %1 — please check.</source>
            <translation>档案已建立。可能与档案 %1 为同一人，请核对。</translation>
        </message>
        <message>
            <source>Unsaved changes</source>
            <translation>未保存的修改</translation>
        </message>
        <message>
            <source>This file has changes that are not saved. Close it and discard them?</source>
            <translation>此档案有尚未保存的修改。要放弃修改并关闭吗？</translation>
        </message>
    </context>
    <context>
        <name>WorkListPanel</name>
        <message>
            <source>Township</source>
            <translation>乡镇</translation>
        </message>
        <message>
            <source>Caseworker</source>
            <translation>负责人</translation>
        </message>
        <message>
            <source>File number</source>
            <translation>档案编号</translation>
        </message>
        <message>
            <source>Name</source>
            <translation>姓名</translation>
        </message>
        <message>
            <source>Planned</source>
            <translation>计划日期</translation>
        </message>
        <message>
            <source>Days overdue</source>
            <translation>逾期天数</translation>
        </message>
        <message>
            <source>Method</source>
            <translation>方式</translation>
        </message>
        <message>
            <source>Due</source>
            <translation>到期日</translation>
        </message>
        <message>
            <source>Service</source>
            <translation>服务</translation>
        </message>
        <message>
            <source>Status</source>
            <translation>状态</translation>
        </message>
        <message>
            <source>Deadline</source>
            <translation>期限</translation>
        </message>
        <message>
            <source>Matter</source>
            <translation>事项</translation>
        </message>
        <message>
            <source>Last visit</source>
            <translation>最近回访</translation>
        </message>
        <message>
            <source>Last contact</source>
            <translation>最近联系</translation>
        </message>
        <message>
            <source>Birthday</source>
            <translation>生日</translation>
        </message>
        <message>
            <source>Unidentified since</source>
            <translation>身份不明起始日</translation>
        </message>
        <message>
            <source>Date</source>
            <translation>日期</translation>
        </message>
        <message>
            <source>never</source>
            <translation>从未</translation>
        </message>
        <message>
            <source>Days</source>
            <translation>天数</translation>
        </message>
        <message>
            <source>What it means</source>
            <translation>意味着</translation>
        </message>
        <message>
            <source>Turns 16: vocational training becomes possible (003 art. 19)</source>
            <translation>满16周岁：可参加技能培训（第十九条）</translation>
        </message>
        <message>
            <source>Turns 18: her or his own consent replaces the guardian's</source>
            <translation>满18周岁：由本人同意取代监护人同意</translation>
        </message>
        <message>
            <source>No return-to-school service</source>
            <translation>未安排回归学校服务</translation>
        </message>
        <message>
            <source>Schooling not recorded at the last visit</source>
            <translation>上次回访未记录就学情况</translation>
        </message>
        <message>
            <source>waiting for materials (clock paused)</source>
            <translation>等待补充材料（期限暂停）</translation>
        </message>
        <message>
            <source>(overdue)</source>
            <translation>（已超期）</translation>
        </message>
        <message>
            <source>URGENT (art. 44)</source>
            <translation>紧急（第四十四条）</translation>
        </message>
        <message>
            <source>All townships</source>
            <translation>全部乡镇</translation>
        </message>
        <message>
            <source>Everyone</source>
            <translation>全部人员</translation>
        </message>
        <message>
            <source>%1 in the list</source>
            <translation>共 %1 项</translation>
        </message>
    </context>
</TS>
