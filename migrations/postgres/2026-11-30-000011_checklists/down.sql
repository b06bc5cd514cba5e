DROP TABLE checklist_acknowledgements;
DROP TABLE product_checklists;
DROP TABLE checklist_templates;
