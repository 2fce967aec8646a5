//! The Confluence scopes this provider knows of, so that near misses can be
//! named ("did you mean") and unknown scopes told apart from typos.
//!
//! Compiled from Atlassian's public documentation as of 2025: the page "Confluence
//! scopes for OAuth 2.0 (3LO) and Forge apps", the scope labels of the Confluence
//! REST v1 and v2 reference, and the "OAuth 2.0 (3LO) apps" page (`offline_access`,
//! `read:me`). Summaries are ours. The list is NOT guaranteed complete: Atlassian
//! adds scopes, so an unknown scope is only a warning, never an error. To add one,
//! append a row; the tests check that every row is well formed and unique.

/// What Writer's Confluence connector needs: the classic search scope and the
/// granular read scopes for spaces and pages.
pub const REQUIRED_SCOPES: [&str; 3] = [
    "search:confluence",
    "read:space:confluence",
    "read:page:confluence",
];

/// How many distinct scopes an app may have, in configuration and as Writer
/// reports it. Atlassian's catalogue has fewer than 100 Confluence scopes
/// (this provider knows 94, a few of other products included); 256 leaves
/// room for scopes Atlassian adds and for other products' scopes, and still
/// bounds the work and the output of checking a generated or pasted list.
pub const MAX_SCOPES: usize = 256;

/// How Atlassian groups a scope in the developer console.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ScopeKind {
    /// The older, coarse scopes such as `search:confluence`.
    Classic,
    /// Fine-grained `verb:thing:confluence` scopes such as `read:page:confluence`.
    Granular,
    /// Scopes outside the Confluence tables, such as `offline_access`.
    Other,
}

/// A scope this provider knows of, with what it grants in a few words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KnownScope {
    pub name: &'static str,
    pub kind: ScopeKind,
    pub summary: &'static str,
}

const fn classic(name: &'static str, summary: &'static str) -> KnownScope {
    KnownScope {
        name,
        kind: ScopeKind::Classic,
        summary,
    }
}

const fn granular(name: &'static str, summary: &'static str) -> KnownScope {
    KnownScope {
        name,
        kind: ScopeKind::Granular,
        summary,
    }
}

const fn other(name: &'static str, summary: &'static str) -> KnownScope {
    KnownScope {
        name,
        kind: ScopeKind::Other,
        summary,
    }
}

/// Every scope this provider knows of; not guaranteed complete.
pub fn scope_catalogue() -> &'static [KnownScope] {
    CATALOGUE
}

pub(super) fn known(name: &str) -> Option<&'static KnownScope> {
    scope_catalogue().iter().find(|k| k.name == name)
}

// One row per line, so that the table reads (and diffs) as a table.
#[rustfmt::skip]
pub(super) const CATALOGUE: &[KnownScope] = &[
    // Classic scopes.
    classic("write:confluence-content", "Create and edit pages, blog posts and comments."),
    classic("read:confluence-space.summary", "Read basic space information, without expansions."),
    classic("write:confluence-space", "Create, change and remove space details."),
    classic("write:confluence-file", "Upload files as attachments."),
    classic("read:confluence-props", "Read content properties."),
    classic("write:confluence-props", "Create or change content properties."),
    classic("manage:confluence-configuration", "Administer global settings."),
    classic("read:confluence-content.all", "Read all visible content in full."),
    classic("read:confluence-content.summary", "Read content summaries, no bodies."),
    classic("read:confluence-content.permission", "Look up the permissions that apply to content."),
    classic("search:confluence", "Run searches (CQL) over content and spaces."),
    classic("read:confluence-user", "Read visible user details."),
    classic("read:confluence-groups", "List and read user groups."),
    classic("write:confluence-groups", "Create, change and delete user groups."),
    classic("readonly:content.attachment:confluence", "Download attachments."),
    // Granular scopes.
    granular("read:content:confluence", "Read content of every kind."),
    granular("read:content-details:confluence", "Read details and attached properties of content."),
    granular("write:content:confluence", "Create and edit content and its properties."),
    granular("delete:content:confluence", "Remove content."),
    granular("read:space-details:confluence", "Read details and properties of spaces."),
    granular("read:analytics.content:confluence", "Read content view analytics."),
    granular("read:audit-log:confluence", "Read and export the Confluence audit log."),
    granular("write:audit-log:confluence", "Add entries to the audit log."),
    granular("read:configuration:confluence", "Read site settings, themes and system info."),
    granular("write:configuration:confluence", "Change site settings."),
    granular("read:page:confluence", "Read pages."),
    granular("write:page:confluence", "Create and edit pages."),
    granular("delete:page:confluence", "Remove pages."),
    granular("read:blogpost:confluence", "Read blog posts."),
    granular("write:blogpost:confluence", "Create and edit blog posts."),
    granular("delete:blogpost:confluence", "Remove blog posts."),
    granular("read:whiteboard:confluence", "Read whiteboards."),
    granular("write:whiteboard:confluence", "Create and edit whiteboards."),
    granular("delete:whiteboard:confluence", "Remove whiteboards."),
    granular("read:database:confluence", "Read databases."),
    granular("write:database:confluence", "Create and edit databases."),
    granular("delete:database:confluence", "Remove databases."),
    granular("read:embed:confluence", "Read Smart Links that live in the content tree."),
    granular("write:embed:confluence", "Create and edit content-tree Smart Links."),
    granular("delete:embed:confluence", "Remove content-tree Smart Links."),
    granular("read:folder:confluence", "Read folders."),
    granular("write:folder:confluence", "Create and edit folders."),
    granular("delete:folder:confluence", "Remove folders."),
    granular("read:custom-content:confluence", "Read custom content."),
    granular("write:custom-content:confluence", "Create and edit custom content."),
    granular("delete:custom-content:confluence", "Remove custom content."),
    granular("read:attachment:confluence", "Read and download attachments."),
    granular("write:attachment:confluence", "Add and update attachments."),
    granular("delete:attachment:confluence", "Remove attachments."),
    granular("read:comment:confluence", "Read comments."),
    granular("write:comment:confluence", "Add and edit comments."),
    granular("delete:comment:confluence", "Remove comments."),
    granular("read:template:confluence", "Read content templates."),
    granular("write:template:confluence", "Create, edit and remove content templates."),
    granular("read:label:confluence", "Read labels on content or spaces."),
    granular("write:label:confluence", "Add or remove labels on content or spaces."),
    granular("read:content.permission:confluence", "Check content permissions."),
    granular("read:content.property:confluence", "Read content properties."),
    granular("write:content.property:confluence", "Create, edit and remove content properties."),
    granular("read:content.restriction:confluence", "Read restrictions placed on content."),
    granular("write:content.restriction:confluence", "Change restrictions on content."),
    granular("read:content.metadata:confluence", "Read content metadata."),
    granular("read:hierarchical-content:confluence", "Walk the content tree."),
    granular("read:watcher:confluence", "See who watches content, spaces or labels."),
    granular("write:watcher:confluence", "Add or remove watchers on content, spaces or labels."),
    granular("read:group:confluence", "Read groups and their details."),
    granular("write:group:confluence", "Create, edit and remove groups."),
    granular("read:inlinetask:confluence", "Search and read inline tasks."),
    granular("write:inlinetask:confluence", "Mark inline tasks done or not done."),
    granular("read:relation:confluence", "Read relationships between two entities."),
    granular("write:relation:confluence", "Create and change relationships between entities."),
    granular("read:space:confluence", "Read spaces."),
    granular("write:space:confluence", "Create and edit spaces."),
    granular("delete:space:confluence", "Remove spaces."),
    granular("read:space.permission:confluence", "Read space permissions."),
    granular("write:space.permission:confluence", "Change space permissions."),
    granular("read:space.property:confluence", "Read space properties."),
    granular("write:space.property:confluence", "Create, edit and remove space properties."),
    granular("read:user.property:confluence", "Read user properties."),
    granular("write:user.property:confluence", "Create, edit and remove user properties."),
    granular("read:space.setting:confluence", "Read space settings and themes."),
    granular("write:space.setting:confluence", "Change space settings and themes."),
    granular("read:user:confluence", "Read user details."),
    granular("read:task:confluence", "Read Confluence tasks."),
    granular("write:task:confluence", "Change Confluence tasks."),
    granular("read:email-address:confluence", "Read any user's e-mail address."),
    granular("read:app-data:confluence", "Read app (Connect/Forge) properties stored by the app."),
    granular("write:app-data:confluence", "Create, change and remove app properties."),
    granular("read:permission:confluence", "Read restrictions and space permissions."),
    // Other scopes.
    other("offline_access", "Receive a refresh token, to renew access without the user."),
    other("read:me", "User Identity API: the signed-in user's profile."),
    other("read:forge-app:confluence", "Call REST APIs of a Forge app installed in Confluence."),
    other("moderate:comment:confluence", "Moderate comments."),
    other("moderate:core-content:confluence", "Moderate core content (pages/blogs etc.)."),
];
