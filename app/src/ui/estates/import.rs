//! Importing buildings, households or residents from a CSV file: choose the
//! kind, download its template, pick a file, see every bad row with its
//! reasons, fix the file, and import it all at once.

use leptos::prelude::*;
use leptos_meta::Title;

use super::route_id;
use crate::api::AppError;
use crate::api::estates::get_import_page;
use crate::domain::estate_import::{ImportKind, ImportPreview, PreviewRow, RowProblem};
use crate::i18n::{I18n, Key, use_i18n};
use crate::ui::components::{ErrorNotice, Loaded};

fn kind_label(kind: ImportKind) -> Key {
    match kind {
        ImportKind::Buildings => Key::ImportKindBuildings,
        ImportKind::Households => Key::ImportKindHouseholds,
        ImportKind::Residents => Key::ImportKindResidents,
    }
}

fn column_label(key: &str) -> Key {
    match key {
        "building" => Key::BuildingName,
        "grid_worker" => Key::BuildingHead,
        "grid_worker_phone" => Key::EstateGridWorkerPhone,
        "unit" => Key::HouseholdUnit,
        "room" => Key::HouseholdRoomLabel,
        "floor_area" => Key::HouseholdAreaLabel,
        "vacant" => Key::HouseholdVacantLabel,
        "name" => Key::ResidentName,
        "phone" => Key::ResidentPhone,
        _ => Key::ResidentRelation,
    }
}

fn problem_text(i18n: I18n, p: &RowProblem) -> String {
    match p {
        RowProblem::Missing { column } => i18n.fill(
            Key::ImportRowMissing,
            &[("column", i18n.t(column_label(column)))],
        ),
        RowProblem::TooLong { column } => i18n.fill(
            Key::ImportRowTooLong,
            &[("column", i18n.t(column_label(column)))],
        ),
        RowProblem::BadArea => i18n.t(Key::ImportRowBadArea).to_owned(),
        RowProblem::BadVacant => i18n.t(Key::ImportRowBadVacant).to_owned(),
        RowProblem::BadPhone => i18n.t(Key::ImportRowBadPhone).to_owned(),
        RowProblem::BadRelation => i18n.t(Key::ImportRowBadRelation).to_owned(),
        RowProblem::DuplicateInFile { first_line } => i18n.fill(
            Key::ImportRowDuplicate,
            &[("line", &first_line.to_string())],
        ),
        RowProblem::AlreadyExists => i18n.t(Key::ImportRowExists).to_owned(),
        RowProblem::UnknownBuilding => i18n.t(Key::ImportRowUnknownBuilding).to_owned(),
        RowProblem::UnknownHousehold => i18n.t(Key::ImportRowUnknownHousehold).to_owned(),
    }
}

/// The template as a link that downloads it; no server round trip.
fn template_href(kind: ImportKind) -> String {
    format!(
        "data:text/csv;charset=utf-8,{}",
        crate::api::encode_component(&kind.template())
    )
}

#[component]
pub fn ImportPage() -> impl IntoView {
    let id = route_id();
    let estate = Resource::new_blocking(
        move || id,
        |id| async move {
            match id {
                Some(id) => get_import_page(id).await.map(|name| (id, name)),
                None => Err(AppError::NotFound),
            }
        },
    );
    view! { <Loaded resource=estate view=|(estate, name)| view! { <Importer estate name /> } /> }
}

/// Where an import stands. Files are read in the browser only, so the server
/// build never makes the checking steps.
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
enum Step {
    Choosing,
    /// Reading and checking a file: its name and size in KB.
    Checking(String, String),
    Checked(ImportPreview),
    Importing(u32),
    Done(u32),
    Failed(AppError),
}

#[component]
fn Importer(estate: i64, name: crate::domain::LocalizedName) -> impl IntoView {
    let i18n = use_i18n();
    let title = format!("{} · {}", i18n.name(&name), i18n.t(Key::ImportTitle));
    let kind = RwSignal::new(ImportKind::Households);
    let step = RwSignal::new(Step::Choosing);
    // The text checked last: what "import" sends, checked again on the server.
    let text = StoredValue::new(String::new());
    let file_input = NodeRef::<leptos::html::Input>::new();

    let check = move |_| {
        step.set(Step::Choosing);
        // Files are read in the browser; the server renders the form only.
        #[cfg(not(feature = "hydrate"))]
        let _ = (file_input, text);
        #[cfg(feature = "hydrate")]
        {
            let Some(input) = file_input.get() else {
                return;
            };
            leptos::task::spawn_local(async move {
                match read_file(&input).await {
                    Err(key) => step.set(Step::Failed(AppError::invalid("file", key))),
                    Ok((name, content, size)) => {
                        step.set(Step::Checking(name, format!("{:.1}", size / 1024.0)));
                        let result = crate::api::estates::preview_import(
                            estate,
                            kind.get_untracked().code().to_owned(),
                            content.clone(),
                        )
                        .await;
                        text.set_value(content);
                        step.set(match result {
                            Ok(preview) => Step::Checked(preview),
                            Err(e) => Step::Failed(e),
                        });
                    }
                }
            });
        }
    };
    let commit = move |_| {
        let Step::Checked(preview) = step.get_untracked() else {
            return;
        };
        step.set(Step::Importing(preview.total));
        leptos::task::spawn_local(async move {
            let result = crate::api::estates::commit_import(
                estate,
                preview.kind.code().to_owned(),
                text.get_value(),
            )
            .await;
            step.set(match result {
                Ok(n) => Step::Done(n),
                Err(e) => Step::Failed(e),
            });
        });
    };
    let kinds = ImportKind::ALL
        .iter()
        .map(|k| {
            let k = *k;
            view! {
                <label class="choice">
                    <input
                        type="radio"
                        name="kind"
                        value=k.code()
                        prop:checked=move || kind.get() == k
                        on:change=move |_| {
                            kind.set(k);
                            step.set(Step::Choosing);
                        }
                    />
                    {i18n.t(kind_label(k))}
                </label>
            }
        })
        .collect_view();
    let template = move || {
        let k = kind.get();
        view! {
            <a class="btn btn-ghost btn-small" href=template_href(k) download=k.file_name() data-testid="template-link">
                {i18n.t(Key::ImportTemplate)} " (" {i18n.t(kind_label(k))} ")"
            </a>
        }
    };
    let status = move || match step.get() {
        Step::Choosing => None,
        Step::Checking(name, kb) => Some(
            view! {
                <div class="progress" role="status">
                    <progress></progress>
                    <span>{i18n.fill(Key::ImportChecking, &[("file", &name), ("kb", &kb)])}</span>
                </div>
            }
            .into_any(),
        ),
        Step::Importing(n) => Some(
            view! {
                <div class="progress" role="status">
                    <progress></progress>
                    <span>{i18n.fill(Key::ImportImporting, &[("n", &n.to_string())])}</span>
                </div>
            }
            .into_any(),
        ),
        Step::Done(n) => Some(
            view! {
                <p class="notice notice-success" role="status" data-testid="import-done">
                    {i18n.fill(Key::ImportDone, &[("n", &n.to_string())])} " "
                    <a href=format!("/estates/{estate}")>{i18n.t(Key::ImportBack)}</a>
                </p>
            }
            .into_any(),
        ),
        Step::Failed(error) => Some(view! { <ErrorNotice error /> }.into_any()),
        Step::Checked(preview) => Some(view! { <Preview preview commit /> }.into_any()),
    };
    view! {
        <Title text=title.clone() />
        <section class="panel" aria-labelledby="import-title">
            <p class="eyebrow"><a href=format!("/estates/{estate}")>{i18n.name(&name)}</a></p>
            <h1 id="import-title">{i18n.t(Key::ImportTitle)}</h1>
            <p class="lead">{i18n.t(Key::ImportIntro)}</p>
            <fieldset class="fieldset">
                <legend>{i18n.t(Key::ImportKind)}</legend>
                {kinds}
            </fieldset>
            <p>{template}</p>
            <div class="field">
                <label for="import-file">{i18n.t(Key::ImportFile)}</label>
                <input id="import-file" type="file" accept=".csv,text/csv,text/plain" node_ref=file_input />
            </div>
            <button type="button" class="btn btn-primary" on:click=check>{i18n.t(Key::ImportCheck)}</button>
            <div aria-live="polite">{status}</div>
        </section>
    }
}

#[component]
fn Preview(
    preview: ImportPreview,
    commit: impl Fn(()) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let i18n = use_i18n();
    let headers = preview
        .columns
        .iter()
        .map(|c| view! { <th scope="col">{i18n.t(column_label(c))}</th> })
        .collect_view();
    let columns = preview.columns.clone();
    let row = move |r: &PreviewRow, bad: bool| {
        let cells = r
            .cells
            .iter()
            .zip(&columns)
            .map(|(c, key)| view! { <td data-label=i18n.t(column_label(key))>{c.clone()}</td> })
            .collect_view();
        let problems = r
            .problems
            .iter()
            .map(|p| problem_text(i18n, p))
            .collect::<Vec<_>>()
            .join("；");
        view! {
            <tr class:row-bad=bad data-testid=if bad { "bad-row" } else { "good-row" }>
                <td data-label=i18n.t(Key::ImportLine) class="num">{r.line}</td>
                {cells}
                <td data-label=i18n.t(Key::ImportProblems) class="problems">{problems}</td>
            </tr>
        }
    };
    let bad_rows = preview.bad.iter().map(|r| row(r, true)).collect_view();
    let good_rows = preview.sample.iter().map(|r| row(r, false)).collect_view();
    let bad = preview.bad.len();
    let summary = i18n.fill(
        Key::ImportSummary,
        &[
            ("total", &preview.total.to_string()),
            ("bad", &bad.to_string()),
        ],
    );
    let total = preview.total.to_string();
    let has_bad = bad > 0;
    view! {
        <div data-testid="import-preview">
            <p class="notice" class:notice-error=has_bad data-testid="import-summary">{summary}</p>
            <table class="table table-cards">
                <thead>
                    <tr>
                        <th scope="col">{i18n.t(Key::ImportLine)}</th>
                        {headers}
                        <th scope="col">{i18n.t(Key::ImportProblems)}</th>
                    </tr>
                </thead>
                <tbody>{bad_rows}{good_rows}</tbody>
            </table>
            {if bad == 0 {
                view! {
                    <button type="button" class="btn btn-primary" on:click=move |_| commit(()) data-testid="import-commit">
                        {i18n.fill(Key::ImportCommit, &[("n", &total)])}
                    </button>
                }
                .into_any()
            } else {
                view! { <p>{i18n.t(Key::ImportFixFirst)}</p> }.into_any()
            }}
        </div>
    }
}

/// Reads the chosen file as text; large files are refused before reading.
/// A GBK file read as UTF-8 keeps replacement characters, which the check on
/// the server names.
#[cfg(feature = "hydrate")]
async fn read_file(input: &web_sys::HtmlInputElement) -> Result<(String, String, f64), Key> {
    use crate::domain::estate_import::MAX_IMPORT_BYTES;
    let file = input
        .files()
        .and_then(|files| files.get(0))
        .ok_or(Key::ImportChooseFile)?;
    let size = file.size();
    if size > MAX_IMPORT_BYTES as f64 {
        return Err(Key::ImportErrorTooBig);
    }
    let text = wasm_bindgen_futures::JsFuture::from(file.text())
        .await
        .map_err(|_| Key::ImportErrorNotText)?;
    Ok((file.name(), text.as_string().unwrap_or_default(), size))
}
