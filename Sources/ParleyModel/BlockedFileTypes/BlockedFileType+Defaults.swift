extension BlockedFileType {
    /// The block list a new tenant is seeded with (unless `tenants.create` gets
    /// `"seed_blocked_file_types": false`), sorted by extension; each applies to every direction.
    ///
    /// It covers what runs code when opened on Windows, macOS, Linux and Android: programs,
    /// scripts, installers, shortcuts, disk images that mount on a double click, add-ins and
    /// macro-enabled Office documents. Deliberately not included (tenants add them if they want):
    /// interpreter scripts that need a separately installed runtime (`py`, `pl`, `rb`), web pages
    /// and SVG (`html`, `htm`, `svg`), archives (`zip`, `rar`, `7z`: their content is not inspected
    /// here) and generic binaries (`bin`).
    public static let defaults: [BlockedFileType] =
        seedGroups
        .flatMap { group in
            group.extensions.map { BlockedFileType(fileExtension: $0, mimeType: seedMimeTypes[$0], reason: group.reason) }
        }
        .sorted { $0.fileExtension < $1.fileExtension }

    private static let seedGroups: [(reason: String, extensions: [String])] = [
        // Windows programs, libraries and drivers.
        ("Windows program that runs when opened", ["exe", "com", "scr", "pif"]),
        ("Windows Control Panel item that runs code when opened", ["cpl"]),
        ("Windows management console file that can run commands", ["msc"]),
        ("Windows library or driver, loaded as code", ["dll", "ocx", "sys", "drv", "vxd"]),
        // Windows scripts.
        ("Windows batch script that runs commands when opened", ["bat", "cmd"]),
        ("JavaScript file that Windows Script Host runs when opened", ["js", "jse", "mjs"]),
        ("VBScript file that runs when opened", ["vbs", "vbe", "vb"]),
        ("Windows Script Host file that runs scripts when opened", ["wsf", "wsh", "wsc", "ws", "sct"]),
        ("PowerShell script or module that runs commands", ["ps1", "psm1", "ps1xml", "psc1"]),
        ("HTML application that runs with the full rights of the user", ["hta"]),
        ("compiled HTML help that can run scripts when opened", ["chm"]),
        ("Windows shell scrap object that can run embedded programs", ["shb", "shs"]),
        // Windows installers and packages.
        ("Windows installer package that installs software", ["msi", "msp", "mst", "msu"]),
        ("Windows app package that installs software", ["appx", "appxbundle", "msix", "msixbundle", "appinstaller"]),
        ("ClickOnce or browser application that installs and runs software", ["application", "xbap"]),
        ("Windows gadget that runs code when opened", ["gadget"]),
        ("Windows cabinet archive, used to deliver installers and drivers", ["cab"]),
        ("Windows setup information file that can install drivers and run commands", ["inf"]),
        ("Windows troubleshooting pack that runs scripts when opened", ["diagcab", "diagcfg", "diagpkg"]),
        ("Microsoft Access project or compiled database that runs code", ["ade", "adp", "mde"]),
        ("Internet connection settings file that can run programs", ["ins", "isp"]),
        // Windows shortcuts and settings.
        ("Windows shortcut that can run any command", ["lnk"]),
        ("Internet shortcut that can open a malicious site or file share", ["url", "website"]),
        ("Windows Explorer command file that can leak the user's credentials", ["scf"]),
        ("Windows registry file that changes system settings", ["reg"]),
        // Java.
        ("Java program that runs when opened where Java is installed", ["jar"]),
        ("Java Web Start file that downloads and runs a Java program", ["jnlp"]),
        // Disk images.
        ("disk image that mounts when opened and bypasses download warnings", ["iso", "img", "vhd", "vhdx"]),
        // Office add-ins and macros.
        ("Excel add-in that runs native code when opened", ["xll"]),
        ("Office add-in with macros that run when it is loaded", ["xlam", "ppam"]),
        (
            "Office document with macros, a common way to deliver malware",
            ["docm", "dotm", "xlsm", "xltm", "pptm", "potm", "ppsm"]
        ),
        ("Excel web query or SYLK file that can fetch and run remote content", ["iqy", "slk"]),
        // macOS.
        ("macOS application that runs when opened", ["app"]),
        ("macOS Terminal script that runs commands when opened", ["command"]),
        ("AppleScript that runs commands when opened", ["scpt"]),
        ("macOS disk image, usually carrying an application", ["dmg"]),
        ("macOS installer package that installs software with administrator rights", ["pkg", "mpkg"]),
        // Linux and Unix.
        ("Unix shell script that runs commands", ["sh", "bash", "csh", "ksh", "zsh"]),
        ("Linux software package that installs software as root", ["deb", "rpm"]),
        ("Linux application or self-extracting installer that runs when opened", ["appimage", "run"]),
        ("Linux desktop launcher that can run any command", ["desktop"]),
        // Android.
        ("Android app package; installing apps sent in a chat is a common fraud", ["apk", "xapk"]),
    ]

    /// The MIME types of the seeded types that have one well-established type of their own.
    private static let seedMimeTypes: [String: String] = [
        "exe": "application/x-msdownload",
        "msi": "application/x-msi",
        "js": "text/javascript",
        "hta": "application/hta",
        "jar": "application/java-archive",
        "iso": "application/x-iso9660-image",
        "docm": "application/vnd.ms-word.document.macroenabled.12",
        "xlsm": "application/vnd.ms-excel.sheet.macroenabled.12",
        "pptm": "application/vnd.ms-powerpoint.presentation.macroenabled.12",
        "dmg": "application/x-apple-diskimage",
        "sh": "application/x-sh",
        "deb": "application/vnd.debian.binary-package",
        "rpm": "application/x-rpm",
        "apk": "application/vnd.android.package-archive",
    ]
}
