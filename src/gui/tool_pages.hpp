// Pages 4-6, the tools: Fetch (download a range, or list what a fetch would do), Sort (files into
// time-stamped names, or dates into day folders: the dry-run table of planned moves first, then the real
// run), and Models (the RIFE model folders, and the check of one of them).
#pragma once

#include <QWidget>
#include <memory>

#include "catalog/sort.hpp"
#include "fetch/fetch.hpp"
#include "gui/context.hpp"

class QCheckBox;
class QComboBox;
class QLabel;
class QPlainTextEdit;
class QPushButton;
class QTableWidget;

namespace goesvfi::gui {

class PathField;
class QueryForm;

class FetchPage : public QWidget {
  Q_OBJECT
 public:
  explicit FetchPage(GuiContext& context, QWidget* parent = nullptr);
  void run(bool dry_run);

  QueryForm* query;
  PathField* output;
  QComboBox* layout_choice;
  QPushButton *list_button, *fetch_button;
  QTableWidget* table;  // one row per listed file: status, size, destination
  QLabel* status;

 private:
  GuiContext& m_context;
  std::shared_ptr<fetch::FetchSummary> m_pending;
  std::filesystem::path m_output;
};

class SortPage : public QWidget {
  Q_OBJECT
 public:
  explicit SortPage(GuiContext& context, QWidget* parent = nullptr);
  // Dry run (the table of planned moves) or the real sort with the same settings.
  void run(bool dry_run);

  QComboBox *kind, *conflict;
  PathField *source, *destination;
  QCheckBox *move, *by_hour;
  QPushButton *preview_button, *sort_button;
  QTableWidget* table;  // from, to, outcome, detail
  QLabel* status;

 private:
  GuiContext& m_context;
  std::shared_ptr<catalog::SortReport> m_pending;
  bool m_previewed = false;                  // Sort is enabled once the same settings were previewed
  std::filesystem::path m_source, m_target;  // the table shows paths relative to these
};

class ModelsPage : public QWidget {
  Q_OBJECT
 public:
  explicit ModelsPage(GuiContext& context, QWidget* parent = nullptr);
  void refresh();
  void check_selected();

  PathField* folder;
  QPushButton *refresh_button, *check_button;
  QTableWidget* table;  // model, version, bytes, status
  QPlainTextEdit* details;

 protected:
  void showEvent(QShowEvent* event) override;

 private:
  GuiContext& m_context;
  bool m_listed = false;
};

}  // namespace goesvfi::gui
